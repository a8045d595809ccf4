/// A result batch read in place from its frame: every check of ``ResultBatch/init(decoding:)``, with no array of
/// results. The sink counts a frame straight from it (with one-element tasks that array was 128 KB a frame, written
/// and read again, and reading it back was a third of the sink's time per result). Valid only while the frame's bytes
/// are.
public struct ResultBatchFrame: RandomAccessCollection {
    public let jobID: UInt64
    public let workerID: UInt64
    @usableFromInline let records: UnsafeRawBufferPointer

    /// Checks `frame` as ``ResultBatch/init(decoding:)`` does: a valid header, 1 to ``TaskBatch/maxTasks`` results, the
    /// length they make, and an element count of at least 1 in each.
    public init(_ frame: UnsafeRawBufferPointer) throws(WireError) {
        let (header, records) = try RecordBatchCodec.checkRecords(
            frame, as: ResultBatch.self, empty: "a result batch holds 1 to \(TaskBatch.maxTasks) results, not 0")
        jobID = header.jobID
        workerID = header.workerID
        self.records = records
    }

    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { records.count / ResultBatch.recordLength }

    /// The result at `index`.
    @inlinable @inline(__always)
    public subscript(index: Int) -> TaskResult {
        precondition(index >= 0 && index < endIndex, "result \(index) of a batch of \(endIndex)")
        let offset = index * ResultBatch.recordLength
        func field(_ at: Int) -> UInt64 {
            UInt64(littleEndian: records.loadUnaligned(fromByteOffset: offset + at, as: UInt64.self))
        }
        return TaskResult(
            uncheckedJobID: jobID, taskID: field(0), workerID: workerID,
            partial: Int128(bitPattern: UInt128(field(16)) << 64 | UInt128(field(8))), elementCount: field(24),
            computeNanoseconds: field(32))
    }
}

extension ResultBatch {
    /// The batch a checked frame holds, its results copied out.
    public init(copying frame: ResultBatchFrame) {
        jobID = frame.jobID
        workerID = frame.workerID
        results = Array(frame)
    }
}
