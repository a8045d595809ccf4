package import Wire

/// The sink's record of one job: which tasks are in, the running total, and who did what.
///
/// Every result is checked against the job's own plan before it counts, and each task id counts once.
/// A class, so the sink's hot path updates it in place instead of copying its tables.
package final class JobProgress {
    package enum Verdict: Equatable {
        case accepted
        case duplicate
        case rejected(String)
        /// The job's sum left the signed 128-bit range; the job has failed.
        case overflow
    }

    package let announcement: JobAnnouncement
    /// When the job started, as this process sees it (earlier than its start when resumed from a checkpoint).
    package let started: ContinuousClock.Instant
    package private(set) var lastProgress: ContinuousClock.Instant
    package private(set) var completed: UInt64 = 0
    /// The reduction of the values aggregated so far; meaningless while ``completed`` is 0 for `min` and `max`.
    package private(set) var total: Int128 = 0
    /// Why the job cannot have a trustworthy total (an overflow, a task that failed on every try), once it cannot.
    package private(set) var failure: String?
    package private(set) var duplicates: UInt64 = 0
    package private(set) var rejected: UInt64 = 0
    package private(set) var workers: [WorkerStatistics] = []
    private var workerIndex: [UInt64: Int] = [:]
    private var lastWorker = 0
    private var completedAtLastCheck: UInt64 = 0
    /// The ventilator's latest word on dispatch (re-issues, workers), if it has sent one.
    package var dispatchStatus: DispatchStatus?
    /// Workers the ventilator stopped feeding because their tasks never reached this sink, by worker id (the latest
    /// word on each; at most ``maxSuspects``).
    package private(set) var suspects: [UInt64: SuspectWorker] = [:]
    package static let maxSuspects = 64
    /// Task ids aggregated since the last acknowledgement, as runs.
    package private(set) var pendingRuns: [Acknowledgement.Run] = []
    private var done: TaskBitset

    /// Tasks and duplicates that were already counted before this process resumed the job from its journal,
    /// so counters that span restarts (metrics) count each once.
    package private(set) var restoredCompleted: UInt64 = 0
    package private(set) var restoredDuplicates: UInt64 = 0

    package init(_ announcement: JobAnnouncement, now: ContinuousClock.Instant) {
        self.announcement = announcement
        started = now
        lastProgress = now
        done = TaskBitset(count: announcement.taskCount)
    }

    /// The job as a checkpoint recorded it.
    package init(_ checkpoint: JobCheckpoint, now: ContinuousClock.Instant) {
        announcement = checkpoint.announcement
        started = now - .nanoseconds(Int64(clamping: checkpoint.elapsedNanoseconds))
        lastProgress = now
        done = checkpoint.done
        completed = checkpoint.completed
        total = checkpoint.total
        duplicates = checkpoint.duplicates
        rejected = checkpoint.rejected
        workers = checkpoint.workers
        for (index, worker) in workers.enumerated() { workerIndex[worker.workerID] = index }
    }

    /// The job's whole state, for the journal.
    package func checkpoint(now: ContinuousClock.Instant) -> JobCheckpoint {
        JobCheckpoint(
            announcement: announcement, completed: completed, total: total, duplicates: duplicates, rejected: rejected,
            elapsedNanoseconds: (now - started).wholeNanoseconds, workers: workers, done: done)
    }

    /// Marks everything counted so far as restored from the journal rather than done by this process.
    package func markRestored() {
        restoredCompleted = completed
        restoredDuplicates = duplicates
    }

    /// Calls `body` with every aggregated task id, as runs of at most `UInt32.max` consecutive ids.
    package func forEachDoneRun(_ body: (Acknowledgement.Run) -> Void) {
        done.forEachRun { range in
            var first = range.lowerBound
            while first < range.upperBound {
                let length = UInt32(clamping: range.upperBound - first)
                body(Acknowledgement.Run(first: first, length: length))
                first += UInt64(length)
            }
        }
    }

    package var isComplete: Bool { completed == announcement.taskCount }
    /// Whether the job is over: every task in, or a failure that no further result can repair.
    package var hasEnded: Bool { isComplete || failure != nil }

    package func accept(_ result: TaskResult) -> Verdict {
        guard let range = announcement.range(ofTask: result.taskID) else {
            rejected += 1
            return .rejected("task \(result.taskID) is beyond the job's \(announcement.taskCount) tasks")
        }
        guard UInt128(result.elementCount) == UInt128(range.upperBound - range.lowerBound) + 1 else {
            rejected += 1
            return .rejected("task \(result.taskID) covers \(range), but the result claims \(result.elementCount) elements")
        }
        guard !done.contains(result.taskID) else {
            duplicates += 1
            // Acknowledge it again: the ventilator re-issued it, so it may have missed the first acknowledgement.
            appendRun(result.taskID)
            return .duplicate
        }
        guard let combined = combine(result) else { return .overflow }
        guard let slot = worker(result.workerID) else {
            rejected += 1
            return .rejected("the job already has results from \(JobCheckpoint.maxWorkers) worker ids, the most it records")
        }
        _ = done.insert(result.taskID)
        total = combined
        completed += 1
        workers[slot].record(result)
        appendRun(result.taskID)
        return .accepted
    }

    /// The total with `result`'s value reduced in, or `nil` (and the job failed) when a sum leaves the signed 128-bit
    /// range: a wrapped total would be wrong, so the job ends instead.
    @inline(__always)
    private func combine(_ result: TaskResult) -> Int128? {
        switch announcement.reduction {
        case .sum:
            let (sum, overflow) = total.addingReportingOverflow(result.partial)
            guard overflow else { return sum }
            failure =
                "the sum overflows the signed 128-bit range at task \(result.taskID) (value \(result.partial), "
                + "total so far \(total)): no exact total exists; use a smaller chunk of values, or --reduce min/max"
            return nil
        case .min: return completed == 0 ? result.partial : Swift.min(total, result.partial)
        case .max: return completed == 0 ? result.partial : Swift.max(total, result.partial)
        }
    }

    /// Ends the job as failed: a worker's kernel failed on one of its tasks on every try.
    package func fail(_ failure: TaskFailure) -> Verdict {
        guard let range = announcement.range(ofTask: failure.task.taskID), range == failure.task.lo...failure.task.hi else {
            rejected += 1
            return .rejected(
                "a failure report for task \(failure.task.taskID) [\(failure.task.lo), \(failure.task.hi)], "
                    + "which is not a task of this job")
        }
        guard !done.contains(failure.task.taskID) else { return .duplicate }
        self.failure =
            "task \(failure.task.taskID) [\(range.lowerBound), \(range.upperBound)] failed on worker "
            + "\(hex(failure.workerID)): \(failure.reason)"
        return .accepted
    }

    /// Notes the time if tasks were completed since the last call; the sink calls this now and then,
    /// so the hot path reads no clock.
    package func checkProgress(now: ContinuousClock.Instant) {
        if completed != completedAtLastCheck {
            completedAtLastCheck = completed
            lastProgress = now
        }
    }

    /// The index of a worker's statistics, or `nil` for a new worker when the job records as many as it can;
    /// consecutive results mostly come from the same worker.
    private func worker(_ id: UInt64) -> Int? {
        if lastWorker < workers.count && workers[lastWorker].workerID == id { return lastWorker }
        if let index = workerIndex[id] {
            lastWorker = index
        } else {
            guard workers.count < JobCheckpoint.maxWorkers else { return nil }
            lastWorker = workers.count
            workerIndex[id] = lastWorker
            workers.append(WorkerStatistics(workerID: id))
        }
        return lastWorker
    }

    /// Takes the runs gathered since the last acknowledgement.
    package func takeRuns() -> [Acknowledgement.Run] {
        defer { pendingRuns.removeAll(keepingCapacity: true) }
        return pendingRuns
    }

    /// Notes the ventilator's word on a worker whose tasks are lost.
    package func note(_ suspect: SuspectWorker) {
        guard suspects[suspect.workerID] != nil || suspects.count < Self.maxSuspects else { return }
        suspects[suspect.workerID] = suspect
    }

    private func appendRun(_ id: UInt64) {
        if let last = pendingRuns.last, last.length < UInt32.max, last.first &+ UInt64(last.length) == id {
            pendingRuns[pendingRuns.count - 1] = Acknowledgement.Run(first: last.first, length: last.length + 1)
        } else {
            pendingRuns.append(Acknowledgement.Run(first: id, length: 1))
        }
    }

    package func status(now: ContinuousClock.Instant) -> JobStatus {
        JobStatus(
            announcement: announcement, completed: completed, duplicates: duplicates, rejected: rejected,
            reissued: dispatchStatus?.reissued ?? 0, workersConnected: dispatchStatus.map { Int($0.workers) },
            workersAble: dispatchStatus.map { Int($0.able) }, workersContributed: workers.count, elapsed: now - started)
    }

    package func summary(now: ContinuousClock.Instant, failure: String? = nil) -> JobSummary {
        let failure = self.failure ?? failure
        let outcome: JobReport.Outcome =
            if failure != nil || !isComplete {
                .failed
            } else if let expected = announcement.answer.value {
                expected == total ? .verified : .mismatch
            } else {
                .unverifiable
            }
        return JobSummary(
            announcement: announcement, outcome: outcome, total: total, completed: completed,
            duplicates: duplicates, reissued: dispatchStatus?.reissued ?? 0,
            workersConnected: dispatchStatus.map { Int($0.workers) }, rejected: rejected, elapsed: now - started,
            workers: workers.sorted { $0.tasks > $1.tasks }, suspectWorkers: suspects.values.sorted { $0.workerID < $1.workerID },
            failure: failure)
    }
}

extension WorkerStatistics {
    package mutating func record(_ result: TaskResult) {
        tasks += 1
        elements += UInt128(result.elementCount)
        busyNanoseconds &+= result.computeNanoseconds
    }
}
