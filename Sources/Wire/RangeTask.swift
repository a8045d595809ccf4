/// Ventilator → worker: compute `kernel` over the inclusive range `lo...hi`.
///
/// Layout (35 bytes): version, type 0x02, kernel u8, job id u64, task id u64, lo u64, hi u64.
public struct RangeTask: WireMessage {
    public static let type = MessageType.task
    static let length = 35

    public let jobID: UInt64
    public let taskID: UInt64
    public let lo: UInt64
    public let hi: UInt64
    public let kernel: KernelID

    /// A task; fails when `lo > hi`.
    public init(jobID: UInt64, taskID: UInt64, lo: UInt64, hi: UInt64, kernel: KernelID) throws(WireError) {
        guard lo <= hi else { throw WireError(.invalidRange, "lo \(lo) is above hi \(hi)") }
        self.init(uncheckedJobID: jobID, taskID: taskID, lo: lo, hi: hi, kernel: kernel)
    }

    init(uncheckedJobID jobID: UInt64, taskID: UInt64, lo: UInt64, hi: UInt64, kernel: KernelID) {
        self.jobID = jobID
        self.taskID = taskID
        self.lo = lo
        self.hi = hi
        self.kernel = kernel
    }

    /// How many elements the task covers: `hi - lo + 1`, at most 2^64 (hence 128 bits).
    public var elementCount: UInt128 { UInt128(hi - lo) + 1 }

    public init(decoding frame: UnsafeRawBufferPointer) throws(WireError) {
        try checkHeader(frame, type: Self.type, length: Self.length)
        var reader = ByteReader(frame)
        let kernel = KernelID(rawValue: reader.read())
        try self.init(jobID: reader.read(), taskID: reader.read(), lo: reader.read(), hi: reader.read(), kernel: kernel)
    }

    public func encode(into buffer: inout [UInt8]) {
        var writer = ByteWriter(into: buffer, capacity: Self.length)
        writer.header(Self.type)
        writer.append(kernel.rawValue)
        writer.append(jobID)
        writer.append(taskID)
        writer.append(lo)
        writer.append(hi)
        buffer = writer.bytes
    }
}
