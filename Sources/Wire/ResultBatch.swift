/// Worker → sink: the results of the tasks of one batch.
///
/// Layout (20 + 40·n bytes): version, type 0x03, job id u64, worker id u64, result count n u16
/// (1 ... ``TaskBatch/maxTasks``), then n × (task id u64, partial u128 low 64 bits first, element count u64,
/// compute nanoseconds u64).
public struct ResultBatch: WireMessage {
    public static let type = MessageType.result
    static let headerLength = 20
    static let recordLength = 40

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
        try checkHeader(frame, type: Self.type, minimumLength: Self.headerLength)
        var reader = ByteReader(frame)
        let jobID: UInt64 = reader.read()
        let workerID: UInt64 = reader.read()
        let count = Int(reader.read(UInt16.self))
        try checkLength(frame, type: Self.type, expected: Self.headerLength + count * Self.recordLength, records: count)
        var results: [TaskResult] = []
        results.reserveCapacity(count)
        for _ in 0..<count {
            results.append(
                try TaskResult(
                    jobID: jobID, taskID: reader.read(), workerID: workerID, partial: reader.read(),
                    elementCount: reader.read(), computeNanoseconds: reader.read()))
        }
        try self.init(results)
    }

    public func encode(into buffer: inout [UInt8]) {
        ByteWriter.write(into: &buffer, length: Self.headerLength + results.count * Self.recordLength, type: Self.type) {
            writer in
            writer.append(jobID)
            writer.append(workerID)
            writer.append(UInt16(results.count))
            for result in results {
                writer.append(result.taskID)
                writer.append(result.partial)
                writer.append(result.elementCount)
                writer.append(result.computeNanoseconds)
            }
        }
    }
}
