/// Ventilator → worker: one or more tasks of one job, computed one by one with the kernel the batch names.
///
/// Batching amortises the per-frame cost of messaging over tiny tasks; the ventilator sends batches of 1
/// when tasks are long. Layout (44 + 24·n bytes): version, type 0x02, job id u64, kernel name (32 bytes),
/// task count n u16 (1 ... ``maxTasks``), then n × (task id u64, lo u64, hi u64).
public struct TaskBatch: WireMessage {
    public static let type = MessageType.task
    /// The most tasks in one frame (a 49 KB frame; its results take 82 KB). One-element tasks fill frames: 2048
    /// a frame instead of 1024 took 1 worker from 5.5-6.4 to 8.7-9.3 M tasks/s, with p99 latency still about 1 ms.
    public static let maxTasks = 2048
    static let headerLength = 44
    @usableFromInline static let recordLength = 24

    public let jobID: UInt64
    public let kernel: KernelName
    public let tasks: [RangeTask]

    /// A batch; fails when it is empty, too long, or holds tasks of more than one job.
    public init(kernel: KernelName, _ tasks: [RangeTask]) throws(WireError) {
        guard let first = tasks.first, tasks.count <= Self.maxTasks else {
            throw WireError(.invalidField, "a task batch holds 1 to \(Self.maxTasks) tasks, not \(tasks.count)")
        }
        guard tasks.allSatisfy({ $0.jobID == first.jobID }) else {
            throw WireError(.invalidField, "every task of a batch has the same job")
        }
        jobID = first.jobID
        self.kernel = kernel
        self.tasks = tasks
    }

    public init(decoding frame: UnsafeRawBufferPointer) throws(WireError) {
        self.init(copying: try TaskBatchFrame(frame))
    }

    public func encode(into buffer: inout [UInt8]) {
        RecordBatchCodec.encode((jobID, kernel), tasks, as: Self.self, into: &buffer)
    }

    /// Writes the batch of tasks `ids` of `job` into `buffer`: the frame of a batch of `job.task(id)` for each id, with
    /// no array of tasks between (the ventilator's hot path). `ids` holds 1 to ``maxTasks`` tasks of the job.
    public static func encode(_ ids: [UInt64], of job: JobAnnouncement, into buffer: inout [UInt8]) {
        encode(ids, then: [], of: job, into: &buffer)
    }

    /// Writes the batch of tasks `ids` and then `more` of `job` into `buffer`, as ``encode(_:of:into:)`` does with the
    /// two joined, without joining them. Together they hold 1 to ``maxTasks`` tasks of the job.
    public static func encode(_ ids: [UInt64], then more: [UInt64], of job: JobAnnouncement, into buffer: inout [UInt8]) {
        let count = ids.count + more.count
        precondition(count > 0 && count <= maxTasks, "a task batch holds 1 to \(maxTasks) tasks, not \(count)")
        let ranges = job.taskRanges
        ByteWriter.write(into: &buffer, length: headerLength + count * recordLength, type: type) { writer in
            write((job.jobID, job.kernel), to: &writer)
            writer.append(UInt16(count))
            writeRecords(of: ids, in: ranges, to: &writer)
            writeRecords(of: more, in: ranges, to: &writer)
        }
    }

    @inline(__always)
    private static func writeRecords(of ids: [UInt64], in ranges: TaskRanges, to writer: inout ByteWriter) {
        for id in ids {
            guard let range = ranges.range(ofTask: id) else { preconditionFailure("task \(id) of \(ranges.taskCount)") }
            writer.append(id)
            writer.append(range.lowerBound)
            writer.append(range.upperBound)
        }
    }
}

extension TaskBatch: RecordBatchLayout {
    static var maxRecords: Int { maxTasks }

    static func readHeader(from reader: inout ByteReader) throws(WireError) -> (jobID: UInt64, kernel: KernelName) {
        let jobID: UInt64 = reader.read()
        return (jobID, try reader.readName())
    }

    static func readRecord(from reader: inout ByteReader, header: (jobID: UInt64, kernel: KernelName)) throws(WireError)
        -> RangeTask
    {
        try RangeTask(jobID: header.jobID, taskID: reader.read(), lo: reader.read(), hi: reader.read())
    }

    static func write(_ header: (jobID: UInt64, kernel: KernelName), to writer: inout ByteWriter) {
        writer.append(header.jobID)
        writer.append(header.kernel)
    }

    static func write(_ task: RangeTask, to writer: inout ByteWriter) {
        writer.append(task.taskID)
        writer.append(task.lo)
        writer.append(task.hi)
    }
}
