/// Any protocol message, for sockets that receive more than one type.
public enum AnyMessage: Hashable, Sendable {
    case jobAnnouncement(JobAnnouncement)
    case tasks(TaskBatch)
    case results(ResultBatch)
    case acknowledgement(Acknowledgement)
    case jobReport(JobReport)
    case credit(Credit)
    case dispatchStatus(DispatchStatus)
    case taskFailure(TaskFailure)
    case suspectWorker(SuspectWorker)
    case recomputeRequest(RecomputeRequest)

    /// Decodes a frame of any type, rejecting malformed ones.
    public init(decoding frame: UnsafeRawBufferPointer) throws(WireError) {
        switch try MessageType(peekingAt: frame) {
        case .jobAnnouncement: self = .jobAnnouncement(try JobAnnouncement(decoding: frame))
        case .task: self = .tasks(try TaskBatch(decoding: frame))
        case .result: self = .results(try ResultBatch(decoding: frame))
        case .acknowledgement: self = .acknowledgement(try Acknowledgement(decoding: frame))
        case .jobReport: self = .jobReport(try JobReport(decoding: frame))
        case .credit: self = .credit(try Credit(decoding: frame))
        case .dispatchStatus: self = .dispatchStatus(try DispatchStatus(decoding: frame))
        case .taskFailure: self = .taskFailure(try TaskFailure(decoding: frame))
        case .suspectWorker: self = .suspectWorker(try SuspectWorker(decoding: frame))
        case .recomputeRequest: self = .recomputeRequest(try RecomputeRequest(decoding: frame))
        }
    }

    /// Decodes a frame held in an array.
    public init(decoding frame: [UInt8]) throws(WireError) {
        self = try frame.withUnsafeBytes { bytes in Result { () throws(WireError) in try AnyMessage(decoding: bytes) } }.get()
    }

    /// The message's type byte.
    public var type: MessageType {
        switch self {
        case .jobAnnouncement: .jobAnnouncement
        case .tasks: .task
        case .results: .result
        case .acknowledgement: .acknowledgement
        case .jobReport: .jobReport
        case .credit: .credit
        case .dispatchStatus: .dispatchStatus
        case .taskFailure: .taskFailure
        case .suspectWorker: .suspectWorker
        case .recomputeRequest: .recomputeRequest
        }
    }

    /// The message's frame.
    public func encoded() -> [UInt8] {
        switch self {
        case .jobAnnouncement(let message): message.encoded()
        case .tasks(let message): message.encoded()
        case .results(let message): message.encoded()
        case .acknowledgement(let message): message.encoded()
        case .jobReport(let message): message.encoded()
        case .credit(let message): message.encoded()
        case .dispatchStatus(let message): message.encoded()
        case .taskFailure(let message): message.encoded()
        case .suspectWorker(let message): message.encoded()
        case .recomputeRequest(let message): message.encoded()
        }
    }
}
