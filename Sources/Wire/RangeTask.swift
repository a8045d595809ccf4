/// One task: compute a kernel over the inclusive range `lo...hi`. Travels inside a ``TaskBatch``.
public struct RangeTask: Hashable, Sendable {
    public let jobID: UInt64
    public let taskID: UInt64
    public let lo: UInt64
    public let hi: UInt64

    /// A task; fails when `lo > hi`.
    public init(jobID: UInt64, taskID: UInt64, lo: UInt64, hi: UInt64) throws(WireError) {
        guard lo <= hi else { throw WireError(.invalidRange, "task \(taskID): lo \(lo) is above hi \(hi)") }
        self.init(uncheckedJobID: jobID, taskID: taskID, lo: lo, hi: hi)
    }

    @usableFromInline
    init(uncheckedJobID jobID: UInt64, taskID: UInt64, lo: UInt64, hi: UInt64) {
        self.jobID = jobID
        self.taskID = taskID
        self.lo = lo
        self.hi = hi
    }

    /// How many elements the task covers: `hi - lo + 1`, at most 2^64 (hence 128 bits).
    public var elementCount: UInt128 { UInt128(hi - lo) + 1 }
}
