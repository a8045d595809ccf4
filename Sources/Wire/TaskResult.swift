/// Worker → sink: the partial result of one task.
///
/// Layout (58 bytes): version, type 0x03, job id u64, task id u64, worker id u64,
/// partial u128 (low 64 bits first), element count u64, compute time in nanoseconds u64.
public struct TaskResult: WireMessage {
    public static let type = MessageType.result
    static let length = 58

    public let jobID: UInt64
    public let taskID: UInt64
    public let workerID: UInt64
    /// The kernel's value over the task's range; 128 bits so any sum of 64-bit values is exact.
    public let partial: UInt128
    /// How many elements the worker computed over: `hi - lo + 1` of the task, so at least 1.
    public let elementCount: UInt64
    public let computeNanoseconds: UInt64

    public init(
        jobID: UInt64, taskID: UInt64, workerID: UInt64, partial: UInt128,
        elementCount: UInt64, computeNanoseconds: UInt64
    ) throws(WireError) {
        guard elementCount > 0 else { throw WireError(.invalidField, "element count 0: a task has at least one element") }
        self.jobID = jobID
        self.taskID = taskID
        self.workerID = workerID
        self.partial = partial
        self.elementCount = elementCount
        self.computeNanoseconds = computeNanoseconds
    }

    public init(decoding frame: UnsafeRawBufferPointer) throws(WireError) {
        try checkHeader(frame, type: Self.type, length: Self.length)
        var reader = ByteReader(frame)
        let jobID: UInt64 = reader.read()
        let taskID: UInt64 = reader.read()
        let workerID: UInt64 = reader.read()
        let low: UInt64 = reader.read()
        let high: UInt64 = reader.read()
        try self.init(
            jobID: jobID, taskID: taskID, workerID: workerID, partial: UInt128(high) << 64 | UInt128(low),
            elementCount: reader.read(), computeNanoseconds: reader.read())
    }

    public func encode(into buffer: inout [UInt8]) {
        var writer = ByteWriter(into: buffer, capacity: Self.length)
        writer.header(Self.type)
        writer.append(jobID)
        writer.append(taskID)
        writer.append(workerID)
        writer.append(UInt64(truncatingIfNeeded: partial))
        writer.append(UInt64(truncatingIfNeeded: partial >> 64))
        writer.append(elementCount)
        writer.append(computeNanoseconds)
        buffer = writer.bytes
    }
}
