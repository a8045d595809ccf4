public import Wire

/// Small jobs for unit tests: a sum over [1, count], one element per task, so task i covers i + 1.
public enum SampleJob {
    /// The sum kernel's name on the wire.
    public static func sumKernel() throws -> KernelName { try KernelName("sum") }

    public static func announcement(tasks count: UInt64, id: UInt64 = 7) throws -> JobAnnouncement {
        // Announced as the ventilator announces a sum: with its known answer, count(count + 1)/2.
        try JobAnnouncement(
            jobID: id, kernel: sumKernel(), answer: .known(Int128(count) * Int128(count + 1) / 2), first: 1, last: count,
            chunk: 1)
    }

    /// The correct result of task `task`, as worker `worker` reports it.
    public static func result(_ task: UInt64, job: UInt64 = 7, worker: UInt64 = 1) throws -> TaskResult {
        try TaskResult(
            jobID: job, taskID: task, workerID: worker, partial: Int128(task + 1), elementCount: 1, computeNanoseconds: 5)
    }
}
