/// Which tasks of a job a second worker computes too, so that the sink can compare the two results.
///
/// Task `t` is cross-checked when `splitmix64(salt ^ t) >> 32 < rate`: a fraction `rate / 2^32` of the tasks, spread
/// evenly and unpredictably. The ventilator sends `salt` 0; the sink replaces it with a random salt of its own, which
/// it never sends, so a worker cannot tell which of its tasks will be checked.
public struct CrossCheckPlan: Hashable, Sendable {
    /// The rate that checks every task.
    public static let wholeRate: UInt64 = 1 << 32
    /// No cross-checks.
    public static let off = CrossCheckPlan(rate: 0, salt: 0)

    /// Tasks checked per 2^32 (0 ... ``wholeRate``).
    public let rate: UInt64
    public var salt: UInt64

    public init(rate: UInt64, salt: UInt64) {
        self.rate = min(rate, Self.wholeRate)
        self.salt = salt
    }

    /// The plan that checks `fraction` (0 ... 1) of the tasks.
    public init(fraction: Double, salt: UInt64 = 0) {
        let clamped = fraction.isNaN ? 0 : Swift.min(1, Swift.max(0, fraction))
        self.init(rate: UInt64((clamped * Double(Self.wholeRate)).rounded()), salt: salt)
    }

    public var isOn: Bool { rate > 0 }
    /// The fraction of tasks checked.
    public var fraction: Double { Double(rate) / Double(Self.wholeRate) }

    /// Whether task `taskID` is cross-checked.
    @inline(__always)
    public func covers(_ taskID: UInt64) -> Bool {
        var z = (salt ^ taskID) &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return (z ^ (z >> 31)) >> 32 < rate
    }
}
