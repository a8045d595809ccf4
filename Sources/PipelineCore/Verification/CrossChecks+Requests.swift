package import Wire

/// Cross-checks over time: requests for results, repeated until the results come, and checks given up when no other
/// worker can make them.
extension CrossChecks {
    /// Gives up the checks that wait only because no other worker can make them, once nothing else is left to do:
    /// - at once when fewer than two workers can run the job and results of two workers never reached the sink;
    /// - after ``loneWait`` when fewer than two can run it (a second one that delivered may come back), or when two
    ///   can but results of two never reached the sink (the second one's results go elsewhere: its computations of
    ///   requested tasks would never arrive, and the ventilator does not track those).
    /// - Returns: the open tasks with a single candidate, to count from that worker alone (closed here).
    package mutating func waiveLoneChecks(
        ableWorkers: Int, othersDone: Bool, now: ContinuousClock.Instant
    ) -> [(task: UInt64, candidate: Candidate)] {
        let delivering = ledgers.count { $0.results > 0 && !$0.quarantined }
        guard ableWorkers < 2 || delivering < 2, othersDone, !open.isEmpty else {
            loneSince = nil
            return []
        }
        let since = loneSince ?? now
        loneSince = since
        guard (ableWorkers < 2 && delivering < 2) || now - since >= Self.loneWait else { return [] }
        var waivedNow: [(task: UInt64, candidate: Candidate)] = []
        for (task, entry) in open where entry.candidates.count == 1 {
            waivedNow.append((task, entry.candidates[0]))
        }
        for item in waivedNow { close(item.task) }
        return waivedNow.sorted { $0.task < $1.task }
    }

    /// The requests due by `now`: new open tasks at once, the others again after ``firstRepeat`` doubling to
    /// ``maxRepeat``, and what quarantined workers held until `isDone` says it was recomputed.
    package mutating func takeRequests(now: ContinuousClock.Instant, isDone: (UInt64) -> Bool) -> [Request] {
        var due = Set(fresh.filter { open[$0]?.due == nil })
        fresh.removeAll(keepingCapacity: true)
        let scan = nextScan.map { now >= $0 } ?? true
        if scan {
            nextScan = now + .milliseconds(500)
            for (task, entry) in open where entry.due.map({ now >= $0 }) ?? true { due.insert(task) }
        }
        var byExclusion: [[UInt64]: [UInt64]] = [:]
        for task in due {
            guard var entry = open[task] else { continue }
            byExclusion[entry.excluded.count == 1 ? entry.excluded : entry.excluded.sorted(), default: []].append(task)
            entry.due = now + Self.backoff(entry.repeats)
            entry.repeats += 1
            open[task] = entry
        }
        var requests = byExclusion.sorted { $0.key.lexicographicallyPrecedes($1.key) }.map { excluded, tasks in
            Request(excluded: excluded, quarantine: false, runs: tasks.sorted().consecutiveRuns())
        }
        for index in retractions.indices.reversed() where scan || retractions[index].due == nil {
            retractions[index].runs = retractions[index].runs.flatMap { run in
                run.filter { !isDone($0) }.consecutiveRuns()
            }
            if retractions[index].runs.isEmpty {
                retractions.remove(at: index)
                continue
            }
            guard retractions[index].due.map({ now >= $0 }) ?? true else { continue }
            requests.append(Request(excluded: [retractions[index].workerID], quarantine: true, runs: retractions[index].runs))
            retractions[index].due = now + Self.backoff(retractions[index].repeats)
            retractions[index].repeats += 1
        }
        return requests
    }

    static func backoff(_ repeats: Int) -> Duration {
        min(maxRepeat, firstRepeat * (1 << min(repeats, 5)))
    }
}
