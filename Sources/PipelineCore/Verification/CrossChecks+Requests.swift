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
        ableWorkers: Int, othersDone: Bool, now instant: ContinuousClock.Instant
    ) -> [(task: UInt64, candidate: Candidate)] {
        let now = Moment(instant)
        let delivering = ledgers.count { $0.results > 0 && !$0.quarantined }
        guard ableWorkers < 2 || delivering < 2, othersDone, !open.isEmpty else {
            loneSince = nil
            return []
        }
        let since = loneSince ?? now
        loneSince = since
        guard (ableWorkers < 2 && delivering < 2) || now - since >= Self.loneWait else { return [] }
        var waivedNow: [(task: UInt64, candidate: Candidate)] = []
        for (task, entry) in open.entries where entry.candidates.count == 1 {
            waivedNow.append((task, entry.candidates[0]))
        }
        for item in waivedNow { close(item.task) }
        return waivedNow.sorted { $0.task < $1.task }
    }

    /// Whether the next ``takeRequests(now:isDone:)`` has checks to ask for that were not asked for yet.
    package var hasRequestsPending: Bool {
        !opened.isEmpty || !fresh.isEmpty || retractions.contains { $0.due == nil }
    }

    /// The requests due by `now`: new open tasks at once, the others again after ``firstRepeat`` doubling to
    /// ``maxRepeat``, and what quarantined workers held until `isDone` says it was recomputed.
    package mutating func takeRequests(now instant: ContinuousClock.Instant, isDone: (UInt64) -> Bool) -> [Request] {
        let now = Moment(instant)
        lastRequests = now
        // Most checks exclude one worker: those are grouped by its id, which hashes faster than an array.
        var byWorker: [UInt64: [UInt64]] = [:]
        var byExclusion: [[UInt64]: [UInt64]] = [:]
        func add(_ task: UInt64, excluding excluded: InlineList<UInt64>) {
            if excluded.count == 1 {
                byWorker[excluded[0], default: []].append(task)
            } else {
                byExclusion[excluded.sorted(), default: []].append(task)
            }
        }
        let scan = nextScan.map { now >= $0 } ?? true
        if scan {
            nextScan = now + .milliseconds(500)
            fresh.removeAll(keepingCapacity: true)
            open.takeEveryRequest(at: now, add)
        } else {
            // A task fresh twice is taken once: the first take schedules its next request.
            for task in fresh {
                if let excluded = open.takeRequest(task, at: now, evenIfScheduled: false) { add(task, excluding: excluded) }
            }
            fresh.removeAll(keepingCapacity: true)
        }
        // Checks opened since the last requests, scheduled as they opened; those closed since are gone from the bits.
        // The checks a frame opened exclude the same worker: they are grouped a stretch at a time, not one by one.
        var start = opened.startIndex
        while start < opened.endIndex {
            let worker = opened[start].excluded
            var tasks = byWorker.removeValue(forKey: worker) ?? []
            var end = start
            while end < opened.endIndex && opened[end].excluded == worker {
                if openBits.contains(opened[end].task) { tasks.append(opened[end].task) }
                end += 1
            }
            byWorker[worker] = tasks
            start = end
        }
        opened.removeAll(keepingCapacity: true)
        for (worker, tasks) in byWorker { byExclusion[[worker]] = tasks }
        var requests = byExclusion.sorted { $0.key.lexicographicallyPrecedes($1.key) }.map { excluded, tasks in
            // A worker's checks open in the order of its batches, so they are nearly always in order already.
            let ascending = zip(tasks, tasks.dropFirst()).allSatisfy { $0 < $1 } ? tasks : tasks.sorted()
            return Request(excluded: excluded, quarantine: false, runs: ascending.consecutiveRuns())
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

    /// The wait before a request's next repeat, after `repeats` of them: from a table, as it is looked up for every
    /// check a sink requests.
    static func backoff(_ repeats: Int) -> Duration {
        backoffs[min(max(repeats, 0), backoffs.count - 1)]
    }

    private static let backoffs: [Duration] = (0...5).map { min(maxRepeat, firstRepeat * (1 << $0)) }
}

extension CrossChecks {
    /// Whether a request next `due` (`nil`: now) after `repeats` of them is due by `now` (and, unless
    /// `evenIfScheduled`, was never scheduled); if so, schedules the next one.
    @inline(__always)
    static func takeTurn(due: inout Moment?, repeats: inout Int, at now: Moment, evenIfScheduled: Bool) -> Bool {
        if let due, !evenIfScheduled || now < due { return false }
        due = now + backoff(repeats)
        repeats += 1
        return true
    }
}

extension CrossChecks.Open {
    /// When its request is due by `now` (and, unless `evenIfScheduled`, was never scheduled): schedules the next one and
    /// returns the workers it excludes. Mutating, so that the table lends the entry in place: reading one out of it
    /// copied the whole entry, most of the cost of taking requests.
    mutating func takeRequest(at now: Moment, evenIfScheduled: Bool) -> InlineList<UInt64>? {
        CrossChecks.takeTurn(due: &due, repeats: &repeats, at: now, evenIfScheduled: evenIfScheduled) ? excluded : nil
    }
}
