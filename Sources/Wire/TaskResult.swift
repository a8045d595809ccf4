/// The partial result of one task. Travels inside a ``ResultBatch``.
public struct TaskResult: Hashable, Sendable {
    public let jobID: UInt64
    public let taskID: UInt64
    public let workerID: UInt64
    /// The kernel's value over the task's range: a signed 128-bit integer, so any sum of 64-bit values is exact.
    public let partial: Int128
    /// How many elements the worker computed over: `hi - lo + 1` of the task, so at least 1.
    public let elementCount: UInt64
    /// The time the worker spent on the task; a worker may spread a batch's time evenly over its results.
    public var computeNanoseconds: UInt64

    public init(
        jobID: UInt64, taskID: UInt64, workerID: UInt64, partial: Int128,
        elementCount: UInt64, computeNanoseconds: UInt64
    ) throws(WireError) {
        guard elementCount > 0 else {
            throw WireError(.invalidField, "task \(taskID): element count 0, a task has at least one element")
        }
        self.init(
            uncheckedJobID: jobID, taskID: taskID, workerID: workerID, partial: partial, elementCount: elementCount,
            computeNanoseconds: computeNanoseconds)
    }

    /// A result whose element count is known to be at least 1.
    @usableFromInline
    init(
        uncheckedJobID jobID: UInt64, taskID: UInt64, workerID: UInt64, partial: Int128, elementCount: UInt64,
        computeNanoseconds: UInt64
    ) {
        self.jobID = jobID
        self.taskID = taskID
        self.workerID = workerID
        self.partial = partial
        self.elementCount = elementCount
        self.computeNanoseconds = computeNanoseconds
    }
}
