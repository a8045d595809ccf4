public import Wire

/// A computation over an inclusive range of integers whose per-task values add up to the job's answer.
///
/// Adding a kernel: write one type conforming to `Kernel`, then add it to ``KernelRegistry/all``.
public protocol Kernel: Sendable {
    /// The byte that names this kernel in tasks and job announcements; unique among kernels.
    static var id: KernelID { get }
    /// The name users type, for example `--kernel sum`.
    static var name: String { get }
    /// One line for `--help`.
    static var summary: String { get }

    /// The kernel's value over `lo...hi`; 0 for the empty range (`lo > hi`).
    static func evaluate(lo: UInt64, hi: UInt64) -> UInt128

    /// The answer for `first...last` known without running the kernel (a closed form or published table),
    /// or `nil` when none is known.
    static func expectedTotal(first: UInt64, last: UInt64) -> UInt128?

    /// Where ``expectedTotal(first:last:)`` comes from, for reports: "the closed form n(n+1)/2".
    static var answerSource: String { get }
}
