public import Wire

/// Small jobs for unit tests: a sum over [1, count], one element per task, so task i covers i + 1.
public enum SampleJob {
    /// The sum kernel's id on the wire.
    public static let sumKernel = KernelID(rawValue: 1)

    public static func announcement(tasks count: UInt64, id: UInt64 = 7) throws -> JobAnnouncement {
        try JobAnnouncement(jobID: id, kernel: sumKernel, first: 1, last: count, chunk: 1)
    }

    /// The correct result of task `task`, as worker `worker` reports it.
    public static func result(_ task: UInt64, job: UInt64 = 7, worker: UInt64 = 1) throws -> TaskResult {
        try TaskResult(
            jobID: job, taskID: task, workerID: worker, partial: UInt128(task + 1), elementCount: 1, computeNanoseconds: 5)
    }
}
