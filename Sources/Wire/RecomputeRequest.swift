/// Sink → ventilator: tasks the sink wants computed (again) by a worker other than those named, and whether the first
/// one named is quarantined for the job (its results disagreed with the majority: it gets no more tasks).
///
/// The sink sends one when a cross-checked task has its first result (another worker must compute it too), when two
/// results disagree (a third worker breaks the tie), and when it quarantines a worker (every task it counted from that
/// worker alone is taken back and must be recomputed). It repeats a request until the results come: the ventilator
/// sends each such task once per request and does not track it.
///
/// Layout (14 + 8·e + 12·k bytes): version, type 0x0A, job id u64, quarantine u8 (0 or 1), excluded worker count e u8
/// (1 ... ``maxExcluded``), run count k u16 (1 ... ``Acknowledgement/maxRuns``), then e worker ids u64, then k runs of
/// (first task id u64, length u32), each of length ≥ 1.
public struct RecomputeRequest: WireMessage {
    public static let type = MessageType.recomputeRequest
    static let headerLength = 14
    /// The most workers one request excludes.
    public static let maxExcluded = 16

    public let jobID: UInt64
    /// Whether ``excluded``'s first worker is quarantined for the job.
    public let quarantine: Bool
    /// Workers that must not compute these tasks: those whose results the sink already has for them.
    public let excluded: [UInt64]
    public let runs: [Acknowledgement.Run]

    public init(jobID: UInt64, quarantine: Bool = false, excluded: [UInt64], runs: [Acknowledgement.Run]) throws(WireError) {
        guard (1...Self.maxExcluded).contains(excluded.count) else {
            throw WireError(.invalidField, "a recompute request excludes 1 to \(Self.maxExcluded) workers, not \(excluded.count)")
        }
        guard (1...Acknowledgement.maxRuns).contains(runs.count) else {
            throw WireError(.invalidField, "a recompute request holds 1 to \(Acknowledgement.maxRuns) runs, not \(runs.count)")
        }
        for run in runs { try run.check() }
        self.jobID = jobID
        self.quarantine = quarantine
        self.excluded = excluded
        self.runs = runs
    }

    public init(decoding frame: UnsafeRawBufferPointer) throws(WireError) {
        try checkHeader(frame, type: Self.type, minimumLength: Self.headerLength)
        var reader = ByteReader(frame)
        let jobID: UInt64 = reader.read()
        let flag: UInt8 = reader.read()
        guard flag <= 1 else { throw WireError(.invalidField, "a recompute request's quarantine flag is 0 or 1, not \(flag)") }
        let excludedCount = Int(reader.read(UInt8.self))
        let runCount = Int(reader.read(UInt16.self))
        try checkLength(
            frame, type: Self.type, expected: Self.headerLength + 8 * excludedCount + 12 * runCount,
            records: excludedCount + runCount)
        let excluded = (0..<excludedCount).map { _ in reader.read(UInt64.self) }
        let runs = (0..<runCount).map { _ in Acknowledgement.Run(first: reader.read(), length: reader.read()) }
        try self.init(jobID: jobID, quarantine: flag == 1, excluded: excluded, runs: runs)
    }

    public func encode(into buffer: inout [UInt8]) {
        let length = Self.headerLength + 8 * excluded.count + 12 * runs.count
        ByteWriter.write(into: &buffer, length: length, type: Self.type) { writer in
            writer.append(jobID)
            writer.append(UInt8(quarantine ? 1 : 0))
            writer.append(UInt8(excluded.count))
            writer.append(UInt16(runs.count))
            for worker in excluded { writer.append(worker) }
            for run in runs {
                writer.append(run.first)
                writer.append(run.length)
            }
        }
    }
}
