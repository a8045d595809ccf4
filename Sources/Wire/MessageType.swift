/// The protocol version every frame starts with.
public enum WireVersion {
    /// The only version this build speaks; frames with another are rejected.
    public static let current: UInt8 = 2
}

/// The second byte of every frame: which layout follows. A new message is a new case, and every switch over
/// message types says what to do with it.
public enum MessageType: UInt8, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// Ventilator → sink: a new job and how it is split.
    case jobAnnouncement = 0x01
    /// Ventilator → worker: a batch of ranges to compute.
    case task = 0x02
    /// Worker → sink: the partial results of a batch of tasks.
    case result = 0x03
    /// Sink → ventilator: progress of a job and which tasks were newly aggregated.
    case acknowledgement = 0x04
    /// Sink → ventilator: the final outcome of a job.
    case jobReport = 0x05
    /// Worker → ventilator: how many more task batches the worker can take.
    case credit = 0x06
    /// Ventilator → sink: dispatch progress of a job (re-issues, workers).
    case dispatchStatus = 0x07
    /// Worker → sink: a task the worker's kernel failed on every try.
    case taskFailure = 0x08
    /// Ventilator → sink: a worker whose tasks are lost while others' are delivered, no longer fed.
    case suspectWorker = 0x09
    /// Sink → ventilator: tasks to compute again by other workers, and a worker quarantined for disagreeing.
    case recomputeRequest = 0x0A

    public var description: String {
        switch self {
        case .jobAnnouncement: "job announcement"
        case .task: "task batch"
        case .result: "result batch"
        case .acknowledgement: "acknowledgement"
        case .jobReport: "job report"
        case .credit: "credit"
        case .dispatchStatus: "dispatch status"
        case .taskFailure: "task failure"
        case .suspectWorker: "suspect worker"
        case .recomputeRequest: "recompute request"
        }
    }
}
