/// π(x), the number of primes up to x, where it is published: the independent answer of the prime kernels.
public enum PublishedPi {
    /// Where the values come from, for reports.
    public static let source = "published values of π(x)"

    /// π(x) for x = 10^k (k ≤ 12, OEIS A006880) and x = 2^32.
    public static let values: [UInt64: UInt64] = [
        0: 0, 1: 0, 10: 4, 100: 25, 1_000: 168, 10_000: 1_229, 100_000: 9_592, 1_000_000: 78_498,
        10_000_000: 664_579, 100_000_000: 5_761_455, 1_000_000_000: 50_847_534,
        10_000_000_000: 455_052_511, 100_000_000_000: 4_118_054_813, 1_000_000_000_000: 37_607_912_018,
        4_294_967_296: 203_280_221,
    ]

    /// The number of primes in `first...last` when π is published at `last` and at `first - 1`, else `nil`.
    public static func primes(first: UInt64, last: UInt64) -> Int128? {
        guard first <= last else { return 0 }
        guard let upper = values[last], let lower = first == 0 ? 0 : values[first - 1] else { return nil }
        return Int128(upper - lower)
    }
}
