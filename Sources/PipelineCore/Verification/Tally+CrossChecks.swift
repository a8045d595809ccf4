package import Wire

/// A job's results when its announcement asks for cross-checks: what ``CrossChecks`` decides, applied to the job's
/// tasks, total and worker statistics.
extension Tally {
    /// Takes a result of a cross-checked job, for a task not yet counted, from the worker at `slot`.
    @inline(__always)
    mutating func acceptChecked(_ result: TaskResult, slot: Int) -> JobProgress.Verdict {
        let task = result.taskID
        switch checks.admit(task, slot: slot) {
        case .quarantined:
            quarantinedResults += 1
            return .quarantined
        case .alone:
            guard count(result, slot: slot, busyNanoseconds: result.computeNanoseconds) else { return .jobFailed }
            checks.countedAlone(task, slot: slot, value: result.partial)
            return .accepted
        case .agreement: return acceptForAgreement(result, slot: slot)
        }
    }

    /// Takes a result that waits for agreement, for a task not yet counted, from the worker at `slot`, not quarantined.
    mutating func acceptForAgreement(_ result: TaskResult, slot: Int) -> JobProgress.Verdict {
        let task = result.taskID
        // While no other worker can check it, a new check past the first few held is given up at once: with one
        // worker the checks would only pile up until the end of the job.
        if lone && !checks.isOpen(task) && checks.open.count >= CrossChecks.heldWhileLone {
            checks.offered(slot: slot)
            guard count(result, slot: slot, busyNanoseconds: result.computeNanoseconds) else { return .jobFailed }
            checks.countedWaived(task, slot: slot, value: result.partial)
            return .accepted
        }
        // Time spent on a result counts whether or not the result does.
        workers[slot].busyNanoseconds &+= result.computeNanoseconds
        let offer = checks.offer(task, workerID: result.workerID, value: result.partial)
        if offer != .sameWorker { checks.offered(slot: slot) }
        switch offer {
        case .waiting:
            appendRun(task)  // received: the ventilator need not send it again
            return .held
        case .sameWorker:
            duplicates += 1
            appendRun(task)
            return .duplicate
        case .unresolvable(let why):
            failure = why
            return .jobFailed
        case .agreed(let minority):
            guard count(result, slot: slot, busyNanoseconds: 0) else { return .jobFailed }
            for workerID in minority { quarantine(workerID, caughtOn: task) }
            return .accepted
        }
    }

    /// Whether every task is in but those whose checks are open.
    var onlyChecksLeft: Bool { completed + UInt64(checks.open.count) == announcement.taskCount }

    /// Quarantines a worker that disagreed with the majority on `task`: every task counted from it alone is uncounted,
    /// to be recomputed by others, and the total is rebuilt from what remains.
    private mutating func quarantine(_ workerID: UInt64, caughtOn task: UInt64) {
        guard let slot = workerIndex[workerID] else { return }
        for id in checks.quarantine(slot: slot, workerID: workerID, task: task) where done.remove(id) {
            completed -= 1
            workers[slot].tasks -= 1
            workers[slot].elements -= elementCount(of: id)
        }
        total = checks.total() ?? 0
    }

    /// See ``JobProgress/waiveLoneChecks(now:)``.
    mutating func waiveLoneChecks(able: Int, now: ContinuousClock.Instant) -> Int {
        let waived = checks.waiveLoneChecks(ableWorkers: able, othersDone: onlyChecksLeft, now: now)
        for (task, candidate) in waived {
            guard let slot = worker(candidate.workerID), let combined = combine(candidate.value, task: task) else { continue }
            count(task, total: combined, slot: slot, elements: elementCount(of: task), busyNanoseconds: 0)
            checks.countedWaived(task, slot: slot, value: candidate.value)
        }
        return waived.count
    }
}

extension JobProgress {
    /// Gives up cross-checks that only a second worker could make, once the ventilator has said that fewer than two
    /// workers can run the job and nothing else is left (for ``CrossChecks/loneWait``, or at once when there never
    /// were two): each such task counts with its single result.
    /// - Returns: how many checks were given up.
    package func waiveLoneChecks(now: ContinuousClock.Instant) -> Int {
        guard tally.checksOn, let able = dispatchStatus?.able else { return 0 }
        return tally.waiveLoneChecks(able: Int(able), now: now)
    }

    /// The requests for results due by `now` (see ``CrossChecks/takeRequests(now:isDone:)``).
    package func takeRecomputeRequests(now: ContinuousClock.Instant) -> [RecomputeRequest] {
        guard tally.checksOn else { return [] }
        let done = tally.done
        let requests = tally.checks.takeRequests(now: now) { done.contains($0) }
        var messages: [RecomputeRequest] = []
        for request in requests {
            var runs: [Acknowledgement.Run] = []
            for range in request.runs {
                var first = range.lowerBound
                while first < range.upperBound {
                    let length = UInt32(clamping: range.upperBound - first)
                    runs.append(Acknowledgement.Run(first: first, length: length))
                    first += UInt64(length)
                }
            }
            var start = 0
            while start < runs.count {
                let end = min(runs.count, start + Acknowledgement.maxRuns)
                // At most maxExcluded workers (an open task fails the job before it excludes more), 1...maxRuns runs.
                if let message = try? RecomputeRequest(
                    jobID: announcement.jobID, quarantine: request.quarantine, excluded: request.excluded,
                    runs: Array(runs[start..<end]))
                {
                    messages.append(message)
                }
                start = end
            }
        }
        return messages
    }

    /// Workers quarantined since the last call, for the sink's log.
    package func takeNewQuarantines() -> [CrossChecks.Quarantine] {
        let quarantines = tally.checks.quarantines
        guard quarantines.count > reportedQuarantines else { return [] }
        defer { reportedQuarantines = quarantines.count }
        return Array(quarantines[reportedQuarantines...])
    }

    /// Whether the job's announcement asks for cross-checks.
    package var hasCrossChecks: Bool { tally.checksOn }

    /// Whether the job's cross-checks need the next round soon: requests wait to go out (checks opened or changed
    /// since the last round, or tasks newly taken back from a quarantined worker), or nothing but open checks is left,
    /// whose end may be giving them up at once. Repeats (after seconds) and checks given up after
    /// ``CrossChecks/loneWait`` are not waited for: the sink's ordinary idle wake is soon enough for them.
    package var awaitsCrossChecks: Bool {
        tally.checksOn && (tally.checks.hasRequestsPending || waitsOnlyForChecks)
    }

    /// Whether every task is in but those whose checks are open: the job's end waits on the requests for them, or on
    /// giving them up.
    package var waitsOnlyForChecks: Bool {
        tally.checksOn && !tally.checks.open.isEmpty && tally.onlyChecksLeft
    }

    /// What the job's cross-checks found, once it has any.
    package var crossCheckSummary: CrossCheckSummary? {
        guard tally.checksOn else { return nil }
        let checks = tally.checks
        return CrossCheckSummary(
            fraction: checks.plan.fraction, agreed: checks.agreed, disagreements: checks.disagreements,
            waived: checks.waived, open: UInt64(checks.open.count), quarantined: checks.quarantines)
    }
}

/// What a job's cross-checks found, for its report.
public struct CrossCheckSummary: Hashable, Sendable {
    /// The fraction of tasks the plan checks (a worker's first few are checked too).
    public let fraction: Double
    /// Tasks counted after two workers agreed on them.
    public let agreed: UInt64
    /// Tasks on which two workers disagreed.
    public let disagreements: UInt64
    /// Checks given up because no second worker was left to make them.
    public let waived: UInt64
    /// Tasks still waiting for agreement.
    public let open: UInt64
    /// Workers quarantined, in the order they were caught.
    public let quarantined: [Quarantined]

    /// A worker put in the minority.
    public struct Quarantined: Hashable, Sendable {
        public let workerID: UInt64
        /// The task on which the majority disagreed with it.
        public let task: UInt64
        /// Tasks counted from it alone, taken back and recomputed by others.
        public let retracted: UInt64
    }

    init(
        fraction: Double, agreed: UInt64, disagreements: UInt64, waived: UInt64, open: UInt64,
        quarantined: [CrossChecks.Quarantine]
    ) {
        self.fraction = fraction
        self.agreed = agreed
        self.disagreements = disagreements
        self.waived = waived
        self.open = open
        self.quarantined = quarantined.map { Quarantined(workerID: $0.workerID, task: $0.task, retracted: $0.retracted) }
    }

    /// One line for people: "cross-checked 1012 tasks (1 % planned): no disagreement".
    public var text: String {
        let percent = fraction * 100
        let planned = percent >= 1 ? String(Int(percent.rounded())) : String(percent)
        var text = "cross-checked \(agreed) task(s) (\(planned) % planned, and each worker's first \(CrossChecks.probation))"
        if disagreements == 0 {
            text += ": no disagreement"
        } else {
            text += ": \(disagreements) disagreement(s)"
            for worker in quarantined {
                text +=
                    "; quarantined worker \(hex(worker.workerID)) (outvoted on task \(worker.task); its "
                    + "\(worker.retracted) unchecked task(s) were recomputed by others)"
            }
        }
        if waived > 0 { text += "; \(waived) check(s) could not be made: no second worker delivered results" }
        return text
    }
}
