/// Sink → ventilator: how a job ended.
///
/// Layout (59 bytes): version, type 0x05, job id u64, outcome u8, total u128 (low 64 bits first),
/// completed tasks u64, duplicates u64, rejected frames u64, elapsed nanoseconds u64.
public struct JobReport: WireMessage {
    public static let type = MessageType.jobReport
    static let length = 59

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
        /// The job stopped before every task was aggregated (timeout or shutdown).
        public static let failed = Outcome(rawValue: 3)

        /// Whether a caller may rely on the total.
        public var isSuccess: Bool { self == .verified || self == .unverifiable }

        public var description: String {
            switch self {
            case .verified: "verified"
            case .mismatch: "MISMATCH"
            case .unverifiable: "not verifiable (no closed form)"
            case .failed: "FAILED"
            default: "outcome \(rawValue)"
            }
        }
    }

    public let jobID: UInt64
    public let outcome: Outcome
    public let total: UInt128
    public let completed: UInt64
    public let duplicates: UInt64
    public let rejected: UInt64
    public let elapsedNanoseconds: UInt64

    public init(
        jobID: UInt64, outcome: Outcome, total: UInt128, completed: UInt64,
        duplicates: UInt64, rejected: UInt64, elapsedNanoseconds: UInt64
    ) throws(WireError) {
        guard outcome.rawValue <= Outcome.failed.rawValue else {
            throw WireError(.invalidField, "outcome \(outcome.rawValue) is not one of 0...3")
        }
        self.jobID = jobID
        self.outcome = outcome
        self.total = total
        self.completed = completed
        self.duplicates = duplicates
        self.rejected = rejected
        self.elapsedNanoseconds = elapsedNanoseconds
    }

    public init(decoding frame: UnsafeRawBufferPointer) throws(WireError) {
        try checkHeader(frame, type: Self.type, length: Self.length)
        var reader = ByteReader(frame)
        let jobID: UInt64 = reader.read()
        let outcome = Outcome(rawValue: reader.read())
        try self.init(
            jobID: jobID, outcome: outcome, total: reader.read(), completed: reader.read(),
            duplicates: reader.read(), rejected: reader.read(), elapsedNanoseconds: reader.read())
    }

    public func encode(into buffer: inout [UInt8]) {
        ByteWriter.write(into: &buffer, length: Self.length, type: Self.type) { writer in
            writer.append(jobID)
            writer.append(outcome.rawValue)
            writer.append(total)
            writer.append(completed)
            writer.append(duplicates)
            writer.append(rejected)
            writer.append(elapsedNanoseconds)
        }
    }
}
