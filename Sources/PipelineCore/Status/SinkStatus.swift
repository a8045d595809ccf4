public import Wire

/// A moment's view of a sink, for progress displays and metrics.
///
/// Counts are cumulative since the sink started, over every job it served.
public struct SinkStatus: Sendable {
    /// The jobs in progress, by job id.
    public var jobs: [JobStatus] = []
    /// Distinct tasks aggregated.
    public var tasksCompleted: UInt64 = 0
    /// Results that arrived again for a task already aggregated (re-issues, late workers).
    public var duplicates: UInt64 = 0
    /// Frames that were not valid protocol messages, and results that contradicted their job's plan.
    public var malformedFrames: UInt64 = 0
    /// Valid results for jobs this sink was not told about.
    public var foreignResults: UInt64 = 0
    /// With CURVE: frames from keys taken off the allow list, dropped.
    public var revokedFrames: UInt64 = 0
    /// With CURVE: frames whose worker id another key already uses, refused.
    public var claimedFrames: UInt64 = 0
    /// Workers the ventilators named because their tasks never reached this sink (each once per job).
    public var suspectWorkers: UInt64 = 0
    /// Tasks counted after two workers agreed on them (cross-checks).
    public var crossChecksAgreed: UInt64 = 0
    /// Tasks on which two workers disagreed.
    public var crossCheckDisagreements: UInt64 = 0
    /// Workers quarantined for a job because their results disagreed with the majority.
    public var workersQuarantined: UInt64 = 0
    /// Results from quarantined workers, not counted.
    public var quarantinedResults: UInt64 = 0
    /// Ended jobs, by outcome.
    public var jobsEnded: [JobReport.Outcome: UInt64] = [:]

    public init() {}

    /// Adds what one job's cross-checks found.
    public mutating func add(_ checks: CrossCheckSummary?) {
        guard let checks else { return }
        crossChecksAgreed += checks.agreed
        crossCheckDisagreements += checks.disagreements
        workersQuarantined += UInt64(checks.quarantined.count)
    }
}

/// How far one job has come, as the sink sees it.
public struct JobStatus: Sendable {
    public var announcement: JobAnnouncement
    public var completed: UInt64
    public var duplicates: UInt64
    public var rejected: UInt64
    /// Tasks the ventilator has sent more than once, as it last said.
    public var reissued: UInt64
    /// Workers the ventilator last heard from, once it has said.
    public var workersConnected: Int?
    /// Of those, the workers that offer the job's kernel, once the ventilator has said.
    public var workersAble: Int? = nil
    /// Workers whose results were aggregated.
    public var workersContributed: Int
    /// Since the sink heard of the job.
    public var elapsed: Duration

    /// Completed tasks as a fraction of the job, from 0 to 1.
    public var fraction: Double {
        announcement.taskCount == 0 ? 1 : Double(completed) / Double(announcement.taskCount)
    }
}
