/// Any protocol message, for sockets that receive more than one type.
public enum AnyMessage: Hashable, Sendable {
    case jobAnnouncement(JobAnnouncement)
    case tasks(TaskBatch)
    case results(ResultBatch)
    case acknowledgement(Acknowledgement)
    case jobReport(JobReport)

    /// Decodes a frame of any type, rejecting malformed ones.
    public init(decoding frame: UnsafeRawBufferPointer) throws(WireError) {
        switch try MessageType(peekingAt: frame) {
        case .jobAnnouncement: self = .jobAnnouncement(try JobAnnouncement(decoding: frame))
        case .task: self = .tasks(try TaskBatch(decoding: frame))
        case .result: self = .results(try ResultBatch(decoding: frame))
        case .acknowledgement: self = .acknowledgement(try Acknowledgement(decoding: frame))
        default: self = .jobReport(try JobReport(decoding: frame))
        }
    }

    /// Decodes a frame held in an array.
    public init(decoding frame: [UInt8]) throws(WireError) {
        self = try frame.withUnsafeBytes { bytes in Result { () throws(WireError) in try AnyMessage(decoding: bytes) } }.get()
    }
}
