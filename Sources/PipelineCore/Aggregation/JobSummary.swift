public import Wire

/// The sink's final account of a job, for people and for the ventilator.
public struct JobSummary: Hashable, Sendable {
    public let announcement: JobAnnouncement
    public let outcome: JobReport.Outcome
    public let total: Int128
    /// The independent answer the job was announced with, if any.
    public var expected: Int128? { announcement.answer.value }
    /// The independent answer the job was announced with, when it has one.
    public let completed: UInt64
    public let duplicates: UInt64
    /// Tasks the ventilator sent more than once, as it last told the sink.
    public let reissued: UInt64
    /// Workers the ventilator last heard from, when it said.
    public let workersConnected: Int?
    /// Results for this job that failed validation and were not counted.
    public let rejected: UInt64
    public let elapsed: Duration
    public let workers: [WorkerStatistics]
    /// Workers the ventilator stopped feeding because their tasks never reached the sink (Wire's `SuspectWorker`).
    public var suspectWorkers: [SuspectWorker] = []
    /// What the job's cross-checks found, when it had any.
    public var crossChecks: CrossCheckSummary?
    /// With CURVE: the fingerprint of the key that sent each worker's results, by worker id.
    public var workerKeys: [UInt64: String] = [:]
    /// Why the job failed, when it did.
    public let failure: String?

    /// The wire form sent to the ventilator.
    public var report: JobReport {
        // The outcome is one of the five the sink decides, the only field JobReport checks (a long reason is cut).
        guard
            let report = try? JobReport(
                jobID: announcement.jobID, outcome: outcome, total: total, completed: completed, duplicates: duplicates,
                rejected: rejected, elapsedNanoseconds: elapsed.wholeNanoseconds,
                reason: failure ?? crossChecks?.text ?? "")
        else { preconditionFailure("outcome \(outcome.rawValue) is not one the sink decides") }
        return report
    }

}
