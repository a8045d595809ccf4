/// Sink → ventilator: how many distinct tasks of a job are aggregated, and which ones are new since the last
/// acknowledgement, as runs of consecutive task ids.
///
/// Layout (20 + 12·k bytes): version, type 0x04, job id u64, completed u64, run count k u16,
/// then k runs of (first task id u64, length u32). At most ``maxRuns`` runs; every run has length ≥ 1.
public struct Acknowledgement: WireMessage {
    public static let type = MessageType.acknowledgement
    /// The most runs one acknowledgement carries, keeping frames under 50 KB.
    public static let maxRuns = 4096
    static let headerLength = 20
    static let recordLength = 12

    /// Consecutive task ids `first ..< first + length`.
    public struct Run: Hashable, Sendable {
        public let first: UInt64
        public let length: UInt32

        public init(first: UInt64, length: UInt32) {
            self.first = first
            self.length = length
        }

        /// Throws unless the run holds at least one id and ends within 64 bits.
        func check() throws(WireError) {
            guard length > 0, UInt64.max - first >= UInt64(length) - 1 else {
                throw WireError(.invalidRange, "run of \(length) from task \(first)")
            }
        }
    }

    public let jobID: UInt64
    /// Distinct tasks aggregated so far: never decreases during a job.
    public let completed: UInt64
    public let runs: [Run]

    public init(jobID: UInt64, completed: UInt64, runs: [Run] = []) throws(WireError) {
        guard runs.count <= Self.maxRuns else {
            throw WireError(.invalidField, "\(runs.count) runs, at most \(Self.maxRuns)")
        }
        for run in runs { try run.check() }
        self.jobID = jobID
        self.completed = completed
        self.runs = runs
    }

    public init(decoding frame: UnsafeRawBufferPointer) throws(WireError) {
        let (header, runs) = try RecordBatchCodec.decode(frame, as: Self.self)
        try self.init(jobID: header.jobID, completed: header.completed, runs: runs)
    }

    public func encode(into buffer: inout [UInt8]) {
        RecordBatchCodec.encode((jobID, completed), runs, as: Self.self, into: &buffer)
    }
}

extension Acknowledgement: RecordBatchLayout {
    static var maxRecords: Int { maxRuns }

    static func readHeader(from reader: inout ByteReader) -> (jobID: UInt64, completed: UInt64) {
        (reader.read(), reader.read())
    }

    static func readRecord(from reader: inout ByteReader, header: (jobID: UInt64, completed: UInt64)) -> Run {
        Run(first: reader.read(), length: reader.read())
    }

    static func write(_ header: (jobID: UInt64, completed: UInt64), to writer: inout ByteWriter) {
        writer.append(header.jobID)
        writer.append(header.completed)
    }

    static func write(_ run: Run, to writer: inout ByteWriter) {
        writer.append(run.first)
        writer.append(run.length)
    }
}
