/// A task batch read in place from its frame: every check of ``TaskBatch/init(decoding:)``, with no array of tasks.
/// A worker computes a Swift kernel's batch straight from it (with one-element tasks that array was 64 KB a batch,
/// written and read again). Valid only while the frame's bytes are.
public struct TaskBatchFrame: RandomAccessCollection {
    public let jobID: UInt64
    public let kernel: KernelName
    @usableFromInline let records: UnsafeRawBufferPointer

    /// Checks `frame` as ``TaskBatch/init(decoding:)`` does: a valid header, 1 to ``TaskBatch/maxTasks`` tasks, the
    /// length they make, and `lo <= hi` in each.
    public init(_ frame: UnsafeRawBufferPointer) throws(WireError) {
        let (header, records) = try RecordBatchCodec.checkRecords(
            frame, as: TaskBatch.self, empty: "a task batch holds 1 to \(TaskBatch.maxTasks) tasks, not 0")
        jobID = header.jobID
        kernel = header.kernel
        self.records = records
    }

    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { records.count / TaskBatch.recordLength }

    /// The task at `index`.
    @inlinable @inline(__always)
    public subscript(index: Int) -> RangeTask {
        precondition(index >= 0 && index < endIndex, "task \(index) of a batch of \(endIndex)")
        let offset = index * TaskBatch.recordLength
        return RangeTask(
            uncheckedJobID: jobID,
            taskID: UInt64(littleEndian: records.loadUnaligned(fromByteOffset: offset, as: UInt64.self)),
            lo: UInt64(littleEndian: records.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self)),
            hi: UInt64(littleEndian: records.loadUnaligned(fromByteOffset: offset + 16, as: UInt64.self)))
    }
}

extension TaskBatch {
    /// The batch a checked frame holds, its tasks copied out.
    public init(copying frame: TaskBatchFrame) {
        jobID = frame.jobID
        kernel = frame.kernel
        tasks = Array(frame)
    }
}
