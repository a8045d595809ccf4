/// Any protocol message, for sockets that receive more than one type.
public enum AnyMessage: Hashable, Sendable {
    case jobAnnouncement(JobAnnouncement)
    case task(RangeTask)
    case result(TaskResult)
    case acknowledgement(Acknowledgement)
    case jobReport(JobReport)

    /// Decodes a frame of any type, rejecting malformed ones.
    public init(decoding frame: UnsafeRawBufferPointer) throws(WireError) {
        switch try MessageType(peekingAt: frame) {
        case .jobAnnouncement: self = .jobAnnouncement(try JobAnnouncement(decoding: frame))
        case .task: self = .task(try RangeTask(decoding: frame))
        case .result: self = .result(try TaskResult(decoding: frame))
        case .acknowledgement: self = .acknowledgement(try Acknowledgement(decoding: frame))
        default: self = .jobReport(try JobReport(decoding: frame))
        }
    }

    /// Decodes a frame held in an array.
    public init(decoding frame: [UInt8]) throws(WireError) {
        self = try frame.withUnsafeBytes { bytes in Result { () throws(WireError) in try AnyMessage(decoding: bytes) } }.get()
    }
}
