import Wire

/// The sink's hot path: a frame of results counted in one tight loop.
extension Tally {
    /// Takes a batch of results (a frame's, one worker's), with the same outcome as ``accept(_:)`` with each in turn.
    ///
    /// A result that counts at once, nearly every one, is counted in a tight loop: a task of the job not yet counted,
    /// with its element count right, whose sum does not overflow; with cross-checks, also from a worker whose results
    /// count alone, for a task that needs no agreement. The worker's statistics, the acknowledgement run and the run
    /// for its ledger stay in locals and the done bits are set in place. Any other result ends the loop and goes
    /// through ``accept(_:)``, as it would alone, and the loop goes on after it. Jobs reduced by `min` or `max` take
    /// ``accept(_:)`` for every result.
    mutating func accept<Results: RandomAccessCollection<TaskResult>>(
        _ results: Results, keep: Bool, into kept: inout [TaskResult], others: (TaskResult, JobProgress.Verdict) -> Void
    ) where Results.Index == Int {
        guard announcement.reduction == .sum else {
            for result in results { Self.route(result, accept(result), keep: keep, into: &kept, others: others) }
            return
        }
        var index = results.startIndex
        while index < results.endIndex {
            let workerID = results[index].workerID
            // A worker new to the job is added on the general path (``worker(_:)``), once one of its results is valid.
            if let slot = knownSlot(of: workerID), !checksOn || checks.countsAlone(slot: slot) {
                let covered: Bool
                (index, covered) = countAtOnce(results, from: index, workerID: workerID, slot: slot, keep: keep, into: &kept)
                guard index < results.endIndex else { return }
                if covered {
                    // A check's first or second result: what ``accept(_:)`` would verify first the loop has.
                    let result = results[index]
                    Self.route(result, acceptForAgreement(result, slot: slot), keep: keep, into: &kept, others: others)
                    index += 1
                    continue
                }
            }
            let result = results[index]
            Self.route(result, accept(result), keep: keep, into: &kept, others: others)
            index += 1
        }
    }

    /// Counts the results from `start` on while each counts at once, from worker `workerID` at `slot`, whose results
    /// count alone; returns the index of the first that does not (or the end), and whether that one is from the
    /// worker, for a task of the job not yet counted with its element count right, that the plan covers.
    private mutating func countAtOnce<Results: RandomAccessCollection<TaskResult>>(
        _ results: Results, from start: Int, workerID: UInt64, slot: Int, keep: Bool, into kept: inout [TaskResult]
    ) -> (index: Int, covered: Bool) where Results.Index == Int {
        // Every task but the last holds `chunk` elements (the task count is the range's size over the chunk, rounded
        // up); the last one takes the general path.
        let lastTask = ranges.taskCount - 1
        let chunk = ranges.chunk
        let plan = checksOn ? checks.plan : .off
        let screensOpen = checksOn && checks.openUncovered > 0
        var total = self.total
        var busy: UInt64 = 0
        // The run of consecutive tasks being counted (empty: none), and the total before its first.
        var run: Range<UInt64> = 0..<0
        var totalBeforeRun = total
        var index = start
        var covered = false
        done.withUnsafeMutableWords { words in
            while index < results.endIndex {
                let result = results[index]
                let task = result.taskID
                guard result.workerID == workerID, task < lastTask, result.elementCount == chunk else { break }
                let word = Int(task >> 6)
                let bit: UInt64 = 1 << (task & 63)
                guard words[word] & bit == 0 else { break }
                if checksOn {
                    covered = plan.covers(task)
                    guard !covered, !(screensOpen && checks.openBits.contains(task)) else { break }
                }
                let (sum, overflow) = total.addingReportingOverflow(result.partial)
                guard !overflow else { break }
                words[word] |= bit
                if task != run.upperBound {
                    Self.close(run, slot: slot, partial: total &- totalBeforeRun, into: &pendingRuns, &checks, checked: checksOn)
                    (run, totalBeforeRun) = (task..<task, total)
                }
                run = run.lowerBound..<(task + 1)
                total = sum
                busy &+= result.computeNanoseconds
                if keep { kept.append(result) }
                index += 1
            }
        }
        Self.close(run, slot: slot, partial: total &- totalBeforeRun, into: &pendingRuns, &checks, checked: checksOn)
        let counted = UInt64(index - start)
        self.total = total
        completed += counted
        workers[slot].tasks += counted
        workers[slot].elements += UInt128(counted) * UInt128(chunk)
        workers[slot].busyNanoseconds &+= busy
        return (index, covered && index < results.endIndex)
    }

    /// Records a run of tasks counted at once from the worker at `slot`, whose values sum to `partial`:
    /// for the acknowledgement, and with cross-checks in the worker's ledger.
    @inline(__always)
    private static func close(
        _ run: Range<UInt64>, slot: Int, partial: Int128, into runs: inout PendingRuns, _ checks: inout CrossChecks,
        checked: Bool
    ) {
        guard !run.isEmpty else { return }
        runs.append(run)
        if checked { checks.countedAlone(run, slot: slot, partial: partial) }
    }
}
