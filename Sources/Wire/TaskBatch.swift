/// Ventilator → worker: one or more tasks of one job, computed one by one.
///
/// Batching amortises the per-frame cost of messaging over tiny tasks; the ventilator sends batches of 1
/// when tasks are long. Layout (13 + 24·n bytes): version, type 0x02, kernel u8, job id u64, task count n u16
/// (1 ... ``maxTasks``), then n × (task id u64, lo u64, hi u64).
public struct TaskBatch: WireMessage {
    public static let type = MessageType.task
    /// The most tasks in one frame (a 24.6 KB frame).
    public static let maxTasks = 1024
    static let headerLength = 13
    static let recordLength = 24

    public let jobID: UInt64
    public let kernel: KernelID
    public let tasks: [RangeTask]

    /// A batch; fails when it is empty, too long, or holds a task of another job or kernel.
    public init(_ tasks: [RangeTask]) throws(WireError) {
        guard let first = tasks.first, tasks.count <= Self.maxTasks else {
            throw WireError(.invalidField, "a task batch holds 1 to \(Self.maxTasks) tasks, not \(tasks.count)")
        }
        guard tasks.allSatisfy({ $0.jobID == first.jobID && $0.kernel == first.kernel }) else {
            throw WireError(.invalidField, "every task of a batch has the same job and kernel")
        }
        jobID = first.jobID
        kernel = first.kernel
        self.tasks = tasks
    }

    public init(decoding frame: UnsafeRawBufferPointer) throws(WireError) {
        try self.init(RecordBatchCodec.decode(frame, as: Self.self).records)
    }

    public func encode(into buffer: inout [UInt8]) {
        RecordBatchCodec.encode((kernel, jobID), tasks, as: Self.self, into: &buffer)
    }
}

extension TaskBatch: RecordBatchLayout {
    static var maxRecords: Int { maxTasks }

    static func readHeader(from reader: inout ByteReader) -> (kernel: KernelID, jobID: UInt64) {
        (KernelID(rawValue: reader.read()), reader.read())
    }

    static func readRecord(from reader: inout ByteReader, header: (kernel: KernelID, jobID: UInt64)) throws(WireError)
        -> RangeTask
    {
        try RangeTask(jobID: header.jobID, taskID: reader.read(), lo: reader.read(), hi: reader.read(), kernel: header.kernel)
    }

    static func write(_ header: (kernel: KernelID, jobID: UInt64), to writer: inout ByteWriter) {
        writer.append(header.kernel.rawValue)
        writer.append(header.jobID)
    }

    static func write(_ task: RangeTask, to writer: inout ByteWriter) {
        writer.append(task.taskID)
        writer.append(task.lo)
        writer.append(task.hi)
    }
}
