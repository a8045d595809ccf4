/// How a job is split when the user does not say.
public enum JobDefaults {
    /// About this many tasks per job: enough to balance dozens of workers, few enough to cost nothing to track.
    public static let targetTasks: UInt64 = 1024

    /// The default chunk for `first...last`: about ``targetTasks`` tasks, at least one element each.
    public static func chunk(first: UInt64, last: UInt64) -> UInt64 {
        let elements = UInt128(last - first) + 1
        let chunk = (elements + UInt128(targetTasks) - 1) / UInt128(targetTasks)
        return UInt64(clamping: max(1, chunk))
    }
}
