/// The protocol version every frame starts with.
public enum WireVersion {
    /// The only version this build speaks; frames with another are rejected.
    public static let current: UInt8 = 1
}

/// The second byte of every frame: which layout follows.
public struct MessageType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Ventilator → sink: a new job and how it is split.
    public static let jobAnnouncement = MessageType(rawValue: 0x01)
    /// Ventilator → worker: a batch of ranges to compute.
    public static let task = MessageType(rawValue: 0x02)
    /// Worker → sink: the partial results of a batch of tasks.
    public static let result = MessageType(rawValue: 0x03)
    /// Sink → ventilator: progress of a job and which tasks were newly aggregated.
    public static let acknowledgement = MessageType(rawValue: 0x04)
    /// Sink → ventilator: the final outcome of a job.
    public static let jobReport = MessageType(rawValue: 0x05)
    /// Worker → ventilator: how many more task batches the worker can take.
    public static let credit = MessageType(rawValue: 0x06)
    /// Ventilator → sink: dispatch progress of a job (re-issues, workers).
    public static let dispatchStatus = MessageType(rawValue: 0x07)

    public var description: String {
        switch self {
        case .jobAnnouncement: "job announcement"
        case .task: "task batch"
        case .result: "result batch"
        case .acknowledgement: "acknowledgement"
        case .jobReport: "job report"
        case .credit: "credit"
        case .dispatchStatus: "dispatch status"
        default: "type 0x\(String(rawValue, radix: 16))"
        }
    }
}

/// Identifies a kernel on the wire. The `Kernels` module maps each to its implementation.
public struct KernelID: RawRepresentable, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
}
