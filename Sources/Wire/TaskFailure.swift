/// Worker → sink: the worker's kernel failed on a task on every try, so the job cannot have a total.
///
/// Layout (44 + r bytes): version, type 0x08, job id u64, worker id u64, task id u64, lo u64, hi u64,
/// reason length r u16 (1 ... ``JobReport/maxReasonBytes``), then the reason in UTF-8.
public struct TaskFailure: WireMessage {
    public static let type = MessageType.taskFailure
    static let headerLength = 44

    public let jobID: UInt64
    public let workerID: UInt64
    public let task: RangeTask
    /// What went wrong, for people: "kernel 'mc-pi' (python3 pi.py) exited with status 1, 3 tries".
    public let reason: String

    /// A failure report; the reason is cut to ``JobReport/maxReasonBytes`` and may not be empty.
    public init(workerID: UInt64, task: RangeTask, reason: String) throws(WireError) {
        let reason = String(truncatingUTF8: reason, toBytes: JobReport.maxReasonBytes)
        guard !reason.isEmpty else { throw WireError(.invalidField, "a task failure says why") }
        self.jobID = task.jobID
        self.workerID = workerID
        self.task = task
        self.reason = reason
    }

    public init(decoding frame: UnsafeRawBufferPointer) throws(WireError) {
        try checkHeader(frame, type: Self.type, minimumLength: Self.headerLength)
        var reader = ByteReader(frame)
        let jobID: UInt64 = reader.read()
        let workerID: UInt64 = reader.read()
        let task = try RangeTask(jobID: jobID, taskID: reader.read(), lo: reader.read(), hi: reader.read())
        try self.init(
            workerID: workerID, task: task, reason: reader.readReason(of: Self.type, allowed: 1...JobReport.maxReasonBytes))
    }

    public func encode(into buffer: inout [UInt8]) {
        let reasonBytes = Array(reason.utf8)
        ByteWriter.write(into: &buffer, length: Self.headerLength + reasonBytes.count, type: Self.type) { writer in
            writer.append(jobID)
            writer.append(workerID)
            writer.append(task.taskID)
            writer.append(task.lo)
            writer.append(task.hi)
            writer.appendReason(reasonBytes)
        }
    }
}
