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
        /// The job has failed: its sum left the signed 128-bit range, or its workers disagree with no majority.
        case jobFailed
        /// Received, and waiting for another worker's result for the same task before it counts.
        case held
        /// From a worker quarantined for the job: not counted.
        case quarantined
    }

    package let announcement: JobAnnouncement
    /// When the job started, as this process sees it (earlier than its start when resumed from a checkpoint).
    package let started: ContinuousClock.Instant
    package private(set) var lastProgress: ContinuousClock.Instant
    /// What the results made of the job: one stored property, so each result costs one access to this class.
    var tally: Tally
    package var completed: UInt64 { tally.completed }
    /// The reduction of the values aggregated so far; meaningless while ``completed`` is 0 for `min` and `max`.
    package var total: Int128 { tally.total }
    /// Why the job cannot have a trustworthy total (an overflow, a task that failed on every try), once it cannot.
    package var failure: String? { tally.failure }
    package var duplicates: UInt64 { tally.duplicates }
    package var rejected: UInt64 { tally.rejected }
    package var workers: [WorkerStatistics] { tally.workers }
    /// Task ids aggregated since the last acknowledgement, as runs.
    package var pendingRuns: [Acknowledgement.Run] { tally.pendingRuns.runs }
    /// How many runs wait for acknowledgement, without making the list of them.
    package var pendingRunCount: Int { tally.pendingRuns.count }
    /// The job's cross-checks, when its announcement asks for them.
    package var checks: CrossChecks? { tally.checksOn ? tally.checks : nil }
    /// Results from quarantined workers, not counted.
    package var quarantinedResults: UInt64 { tally.quarantinedResults }
    private var completedAtLastCheck: UInt64 = 0
    /// The ventilator's latest word on dispatch (re-issues, workers), if it has sent one.
    package var dispatchStatus: DispatchStatus? {
        didSet { tally.lone = dispatchStatus.map { $0.able < 2 } ?? false }
    }
    /// Workers the ventilator stopped feeding because their tasks never reached this sink, by worker id (the latest
    /// word on each; at most ``maxSuspects``).
    package private(set) var suspects: [UInt64: SuspectWorker] = [:]
    package static let maxSuspects = 64
    /// Quarantines the sink has logged.
    var reportedQuarantines = 0

    /// Tasks and duplicates that were already counted before this process resumed the job from its journal,
    /// so counters that span restarts (metrics) count each once.
    package private(set) var restoredCompleted: UInt64 = 0
    package private(set) var restoredDuplicates: UInt64 = 0

    package init(_ announcement: JobAnnouncement, now: ContinuousClock.Instant) {
        self.announcement = announcement
        started = now
        lastProgress = now
        tally = Tally(announcement)
    }

    /// The job as a checkpoint recorded it.
    package init(_ checkpoint: JobCheckpoint, now: ContinuousClock.Instant) {
        announcement = checkpoint.announcement
        started = now - .nanoseconds(Int64(clamping: checkpoint.elapsedNanoseconds))
        lastProgress = now
        tally = Tally(checkpoint)
    }

    /// The job's whole state, for the journal.
    package func checkpoint(now: ContinuousClock.Instant) -> JobCheckpoint {
        JobCheckpoint(
            announcement: announcement, completed: completed, total: total, duplicates: duplicates, rejected: rejected,
            elapsedNanoseconds: (now - started).wholeNanoseconds, workers: workers, done: tally.done, checks: checks)
    }

    /// Marks everything counted so far as restored from the journal rather than done by this process.
    package func markRestored() {
        restoredCompleted = completed
        restoredDuplicates = duplicates
    }

    /// Calls `body` with every aggregated task id, as runs of at most `UInt32.max` consecutive ids.
    package func forEachDoneRun(_ body: (Acknowledgement.Run) -> Void) {
        tally.done.forEachRun { range in
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
        tally.accept(result)
    }

    /// Takes the results of one frame in a single access to the job's state. With `keep`, appends those accepted or
    /// held (the state a restarted sink must have) to `kept`; calls `others` with each other result and its verdict, as
    /// it goes. `others` must not touch this job.
    package func accept(
        _ results: [TaskResult], keep: Bool, into kept: inout [TaskResult], others: (TaskResult, Verdict) -> Void
    ) {
        tally.accept(results, keep: keep, into: &kept, others: others)
    }

    /// ``accept(_:keep:into:others:)`` straight from a frame's records: the sink's hot path.
    package func accept(
        frame results: ResultBatchFrame, keep: Bool, into kept: inout [TaskResult], others: (TaskResult, Verdict) -> Void
    ) {
        tally.accept(results, keep: keep, into: &kept, others: others)
    }

    /// Ends the job as failed: a worker's kernel failed on one of its tasks on every try.
    package func fail(_ failure: TaskFailure) -> Verdict {
        tally.fail(failure)
    }

    /// Notes the time if tasks were completed since the last call; the sink calls this now and then,
    /// so the hot path reads no clock.
    package func checkProgress(now: ContinuousClock.Instant) {
        if completed != completedAtLastCheck {
            completedAtLastCheck = completed
            lastProgress = now
        }
    }

    /// Takes the runs gathered since the last acknowledgement.
    package func takeRuns() -> [Acknowledgement.Run] {
        tally.pendingRuns.take()
    }

    /// Notes the ventilator's word on a worker whose tasks are lost.
    package func note(_ suspect: SuspectWorker) {
        guard suspects[suspect.workerID] != nil || suspects.count < Self.maxSuspects else { return }
        suspects[suspect.workerID] = suspect
    }

    package func status(now: ContinuousClock.Instant) -> JobStatus {
        JobStatus(
            announcement: announcement, completed: completed, duplicates: duplicates, rejected: rejected,
            reissued: dispatchStatus?.reissued ?? 0, workersConnected: dispatchStatus.map { Int($0.workers) },
            workersAble: dispatchStatus.map { Int($0.able) }, workersContributed: workers.count, elapsed: now - started)
    }

    package func summary(now: ContinuousClock.Instant, failure: String? = nil) -> JobSummary {
        let failure = self.failure ?? failure
        let crossChecks = crossCheckSummary
        let outcome: JobReport.Outcome =
            if failure != nil || !isComplete {
                .failed
            } else if let expected = announcement.answer.value {
                expected == total ? .verified : .mismatch
            } else if let crossChecks, crossChecks.agreed > 0 {
                .crossChecked
            } else {
                .unverifiable
            }
        return JobSummary(
            announcement: announcement, outcome: outcome, total: total, completed: completed,
            duplicates: duplicates, reissued: dispatchStatus?.reissued ?? 0,
            workersConnected: dispatchStatus.map { Int($0.workers) }, rejected: rejected, elapsed: now - started,
            workers: workers.sorted { $0.tasks > $1.tasks }, suspectWorkers: suspects.values.sorted { $0.workerID < $1.workerID },
            crossChecks: crossChecks, failure: failure)
    }
}
