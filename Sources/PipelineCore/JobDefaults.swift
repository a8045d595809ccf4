/// How a job is split when the user does not say.
public enum JobDefaults {
    /// About this many tasks per job: enough to balance dozens of workers, few enough to cost nothing to track.
    public static let targetTasks: UInt64 = 1024

    /// The fraction of tasks a second worker computes too (`--verify-fraction`): a worker wrong on every task is
    /// caught on its first (each worker's first tasks are all checked), one wrong on 1 % of its tasks within about
    /// 10,000 of them (see topology.md).
    public static let verifyFraction = 0.01

    /// The default chunk for `first...last`: about ``targetTasks`` tasks, at least one element each.
    public static func chunk(first: UInt64, last: UInt64) -> UInt64 {
        let elements = UInt128(last - first) + 1
        let chunk = (elements + UInt128(targetTasks) - 1) / UInt128(targetTasks)
        return UInt64(clamping: max(1, chunk))
    }
}
