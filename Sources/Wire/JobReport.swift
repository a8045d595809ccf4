/// Sink → ventilator: how a job ended.
///
/// Layout (61 + r bytes): version, type 0x05, job id u64, outcome u8, total i128 (low 64 bits first),
/// completed tasks u64, duplicates u64, rejected frames u64, elapsed nanoseconds u64, reason length r u16
/// (at most ``maxReasonBytes``), then the reason in UTF-8: why a job failed; for a job that ended otherwise, what its
/// cross-checks found (empty when it had none).
public struct JobReport: WireMessage {
    public static let type = MessageType.jobReport
    static let headerLength = 61
    /// The longest reason a report carries, in UTF-8 bytes; longer ones are cut.
    public static let maxReasonBytes = 1024

    /// How a job ended.
    public struct Outcome: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }

        /// Every task aggregated and the total equals the independently known answer.
        public static let verified = Outcome(rawValue: 0)
        /// Every task aggregated but the total differs from the known answer.
        public static let mismatch = Outcome(rawValue: 1)
        /// Every task aggregated; no independent answer exists to check against.
        public static let unverifiable = Outcome(rawValue: 2)
        /// The job ended without a trustworthy total: a timeout, a stop, a task that failed on every try, an overflow.
        public static let failed = Outcome(rawValue: 3)
        /// Every task aggregated; no independent answer exists, but cross-checked tasks were computed by two
        /// workers, and the total holds only results that agreed or came from workers never caught disagreeing.
        public static let crossChecked = Outcome(rawValue: 4)

        /// Whether a caller may rely on the total.
        public var isSuccess: Bool { self == .verified || self == .unverifiable || self == .crossChecked }

        public var description: String {
            switch self {
            case .verified: "verified"
            case .mismatch: "MISMATCH"
            case .unverifiable: "unverifiable (no independent answer)"
            case .failed: "FAILED"
            case .crossChecked: "cross-checked (no independent answer)"
            default: "outcome \(rawValue)"
            }
        }
    }

    public let jobID: UInt64
    public let outcome: Outcome
    public let total: Int128
    public let completed: UInt64
    public let duplicates: UInt64
    public let rejected: UInt64
    public let elapsedNanoseconds: UInt64
    /// Why the job failed, for people; for other outcomes, what the job's cross-checks found (empty without any).
    public let reason: String

    public init(
        jobID: UInt64, outcome: Outcome, total: Int128, completed: UInt64,
        duplicates: UInt64, rejected: UInt64, elapsedNanoseconds: UInt64, reason: String = ""
    ) throws(WireError) {
        guard outcome.rawValue <= Outcome.crossChecked.rawValue else {
            throw WireError(.invalidField, "outcome \(outcome.rawValue) is not one of 0...4")
        }
        self.jobID = jobID
        self.outcome = outcome
        self.total = total
        self.completed = completed
        self.duplicates = duplicates
        self.rejected = rejected
        self.elapsedNanoseconds = elapsedNanoseconds
        self.reason = String(truncatingUTF8: reason, toBytes: Self.maxReasonBytes)
    }

    public init(decoding frame: UnsafeRawBufferPointer) throws(WireError) {
        try checkHeader(frame, type: Self.type, minimumLength: Self.headerLength)
        var reader = ByteReader(frame)
        let jobID: UInt64 = reader.read()
        let outcome = Outcome(rawValue: reader.read())
        let total: Int128 = reader.read()
        let completed: UInt64 = reader.read()
        let duplicates: UInt64 = reader.read()
        let rejected: UInt64 = reader.read()
        let elapsed: UInt64 = reader.read()
        let reason = try reader.readReason(of: Self.type, allowed: 0...Self.maxReasonBytes)
        try self.init(
            jobID: jobID, outcome: outcome, total: total, completed: completed, duplicates: duplicates, rejected: rejected,
            elapsedNanoseconds: elapsed, reason: reason)
    }

    public func encode(into buffer: inout [UInt8]) {
        let reasonBytes = Array(reason.utf8)
        ByteWriter.write(into: &buffer, length: Self.headerLength + reasonBytes.count, type: Self.type) { writer in
            writer.append(jobID)
            writer.append(outcome.rawValue)
            writer.append(total)
            writer.append(completed)
            writer.append(duplicates)
            writer.append(rejected)
            writer.append(elapsedNanoseconds)
            writer.appendReason(reasonBytes)
        }
    }
}

extension String {
    /// `text`, cut at a character boundary to at most `limit` UTF-8 bytes.
    init(truncatingUTF8 text: String, toBytes limit: Int) {
        guard text.utf8.count > limit else {
            self = text
            return
        }
        var end = text.utf8.index(text.utf8.startIndex, offsetBy: limit)
        while end > text.startIndex && text.utf8[end] & 0xC0 == 0x80 {
            end = text.utf8.index(before: end)
        }
        self = String(decoding: text.utf8[..<end], as: UTF8.self)
    }
}
