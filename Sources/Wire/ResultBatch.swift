/// Worker → sink: the results of the tasks of one batch.
///
/// Layout (20 + 40·n bytes): version, type 0x03, job id u64, worker id u64, result count n u16
/// (1 ... ``TaskBatch/maxTasks``), then n × (task id u64, partial i128 (two's complement), element count u64,
/// compute nanoseconds u64).
public struct ResultBatch: WireMessage {
    public static let type = MessageType.result
    static let headerLength = 20
    @usableFromInline static let recordLength = 40

    public let jobID: UInt64
    public let workerID: UInt64
    public let results: [TaskResult]

    /// A batch; fails when it is empty, too long, or mixes jobs or workers.
    public init(_ results: [TaskResult]) throws(WireError) {
        guard let first = results.first, results.count <= TaskBatch.maxTasks else {
            throw WireError(.invalidField, "a result batch holds 1 to \(TaskBatch.maxTasks) results, not \(results.count)")
        }
        guard results.allSatisfy({ $0.jobID == first.jobID && $0.workerID == first.workerID }) else {
            throw WireError(.invalidField, "every result of a batch has the same job and worker")
        }
        jobID = first.jobID
        workerID = first.workerID
        self.results = results
    }

    public init(decoding frame: UnsafeRawBufferPointer) throws(WireError) {
        self.init(copying: try ResultBatchFrame(frame))
    }

    public func encode(into buffer: inout [UInt8]) {
        RecordBatchCodec.encode((jobID, workerID), results, as: Self.self, into: &buffer)
    }
}

extension ResultBatch: RecordBatchLayout {
    static var maxRecords: Int { TaskBatch.maxTasks }

    static func readHeader(from reader: inout ByteReader) -> (jobID: UInt64, workerID: UInt64) {
        (reader.read(), reader.read())
    }

    static func readRecord(from reader: inout ByteReader, header: (jobID: UInt64, workerID: UInt64)) throws(WireError)
        -> TaskResult
    {
        try TaskResult(
            jobID: header.jobID, taskID: reader.read(), workerID: header.workerID, partial: reader.read(),
            elementCount: reader.read(), computeNanoseconds: reader.read())
    }

    static func write(_ header: (jobID: UInt64, workerID: UInt64), to writer: inout ByteWriter) {
        writer.append(header.jobID)
        writer.append(header.workerID)
    }

    static func write(_ result: TaskResult, to writer: inout ByteWriter) {
        writeRecord(result.taskID, result.partial, result.elementCount, result.computeNanoseconds, to: &writer)
    }

    /// One record's fields, in their order on the wire: the layout ``encode(_:partials:workerID:nanoseconds:into:)``
    /// shares.
    @inline(__always)
    static func writeRecord(
        _ taskID: UInt64, _ partial: Int128, _ elementCount: UInt64, _ computeNanoseconds: UInt64,
        to writer: inout ByteWriter
    ) {
        writer.append(taskID)
        writer.append(partial)
        writer.append(elementCount)
        writer.append(computeNanoseconds)
    }
}

extension ResultBatch {
    /// Writes into `buffer` the frame that ``init(_:)`` and ``encode(into:)`` make of the results of the batch `tasks`
    /// with the values `partials`, from worker `workerID`, spreading `nanoseconds` evenly over them (the remainder to
    /// the last), without an array of results between: a worker's hot path.
    public static func encode(
        _ tasks: TaskBatchFrame, partials: [Int128], workerID: UInt64, nanoseconds: UInt64, into buffer: inout [UInt8]
    ) {
        precondition(tasks.count == partials.count && tasks.count <= TaskBatch.maxTasks, "one value per task of a batch")
        guard let first = tasks.first else { return }
        let count = tasks.count
        let each = nanoseconds / UInt64(count)
        ByteWriter.write(into: &buffer, length: headerLength + count * recordLength, type: type) { writer in
            write((first.jobID, workerID), to: &writer)
            writer.append(UInt16(count))
            for index in 0..<count {
                writeRecord(
                    tasks[index].taskID, partials[index], UInt64(clamping: tasks[index].elementCount),
                    index == count - 1 ? each + nanoseconds % UInt64(count) : each, to: &writer)
            }
        }
    }
}
