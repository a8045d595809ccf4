/// Ventilator → sink: how dispatch of a job is going, so the sink's report can say what the sink cannot see.
///
/// Sent about twice a second while the job runs. Layout (34 bytes): version, type 0x07, job id u64,
/// dispatched u64 (distinct tasks sent), re-issued u64 (sends beyond the first), workers u32 (heard from
/// in the last 10 s), able u32 (those of them that offer the job's kernel).
public struct DispatchStatus: WireMessage {
    public static let type = MessageType.dispatchStatus
    static let length = 34

    public let jobID: UInt64
    public let dispatched: UInt64
    public let reissued: UInt64
    public let workers: UInt32
    /// Of ``workers``, those that offer the job's kernel: 0 while others are connected means the job waits for a
    /// worker that can run it.
    public let able: UInt32

    public init(jobID: UInt64, dispatched: UInt64, reissued: UInt64, workers: UInt32, able: UInt32) {
        self.jobID = jobID
        self.dispatched = dispatched
        self.reissued = reissued
        self.workers = workers
        self.able = able
    }

    public init(decoding frame: UnsafeRawBufferPointer) throws(WireError) {
        try checkHeader(frame, type: Self.type, length: Self.length)
        var reader = ByteReader(frame)
        self.init(
            jobID: reader.read(), dispatched: reader.read(), reissued: reader.read(), workers: reader.read(),
            able: reader.read())
    }

    public func encode(into buffer: inout [UInt8]) {
        ByteWriter.write(into: &buffer, length: Self.length, type: Self.type) { writer in
            writer.append(jobID)
            writer.append(dispatched)
            writer.append(reissued)
            writer.append(workers)
            writer.append(able)
        }
    }
}
