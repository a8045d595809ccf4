/// A computation over an inclusive range of integers: one exact integer per task, which the job's reduction
/// (sum, min or max) combines into its total.
///
/// Write one type conforming to `Kernel` in your own package and pass it to `ScatterGatherWorker.main(adding:)`;
/// the built-in ones are listed in ``KernelRegistry/builtIn``. A kernel must be deterministic: a task re-run after a
/// lost result must give the same value, or the total depends on which copy arrives first.
public protocol Kernel: Sendable {
    /// The name jobs use (`--kernel mc-pi`): 1 to 32 characters of a-z, 0-9, '-', '_' and '.'.
    static var name: String { get }
    /// One line for help and logs.
    static var summary: String { get }

    /// The kernel's value over `lo...hi` (`lo ≤ hi` always).
    static func evaluate(lo: UInt64, hi: UInt64) -> Int128

    /// The sum over `first...last` known without running the kernel (a closed form or published table),
    /// or `nil` when none is known. The ventilator puts it in the job, so the sink can verify the total.
    static func expectedTotal(first: UInt64, last: UInt64) -> Int128?

    /// Where ``expectedTotal(first:last:)`` comes from, for reports: "the closed form n(n+1)/2".
    static var answerSource: String { get }
}

extension Kernel {
    /// Most kernels have no independent answer; give a job one with `--expect`.
    public static func expectedTotal(first: UInt64, last: UInt64) -> Int128? { nil }
    public static var answerSource: String { "none known" }
}
