/// Quarantine: a worker outvoted on a task loses what it counted alone, and its candidates leave the open checks.
extension CrossChecks {
    /// The tasks counted from the worker at `slot` alone.
    package func countedAlone(slot: Int) -> [UInt64] {
        ledgers[slot].runs.flatMap { run in run.filter { !plan.covers($0) } } + ledgers[slot].waived
    }

    /// Quarantines the worker at `slot`, which disagreed with the majority on `task`: takes back everything counted
    /// from it alone (returned, for the job to uncount), and drops its candidates from tasks still open.
    package mutating func quarantine(slot: Int, workerID: UInt64, task: UInt64) -> [UInt64] {
        guard !ledgers[slot].quarantined else { return [] }
        let tasks = countedAlone(slot: slot)
        ledgers[slot] = Ledger(results: ledgers[slot].results, quarantined: true)
        for (id, entry) in open.entries where entry.candidates.contains(where: { $0.workerID == workerID }) {
            open[id]?.candidates.removeAll { $0.workerID == workerID }
            open[id]?.due = nil
            fresh.append(id)
        }
        quarantines.append(Quarantine(workerID: workerID, task: task, retracted: UInt64(tasks.count)))
        if !tasks.isEmpty { retractions.append(Retraction(workerID: workerID, runs: tasks.sorted().consecutiveRuns())) }
        return tasks
    }
}
