/// The exact sum of every integer in the range, in 128 bits.
public enum SumKernel: Kernel {
    public static let name = "sum"
    public static let summary = "the exact sum of the range, in 128 bits (verified against the closed form)"

    public static func evaluate(lo: UInt64, hi: UInt64) -> Int128 {
        guard lo <= hi else { return 0 }
        // (lo + hi) * count / 2, halving whichever factor is even first so the product fits:
        // the largest possible sum, 0 + ... + (2^64 - 1), is below 2^127.
        // It is below 2^127 - 2^63, so it fits a signed 128-bit value.
        let count = UInt128(hi - lo) + 1
        let ends = UInt128(lo) + UInt128(hi)
        return Int128(count % 2 == 0 ? (count / 2) * ends : count * (ends / 2))
    }

    public static let answerSource = "the closed form b(b+1)/2 - a(a-1)/2"

    public static func expectedTotal(first: UInt64, last: UInt64) -> Int128? {
        // Independent of `evaluate`: the difference of two triangular numbers.
        guard first <= last else { return 0 }
        func triangular(_ n: UInt128) -> UInt128 { n % 2 == 0 ? (n / 2) * (n + 1) : n * ((n + 1) / 2) }
        let below: UInt128 = first == 0 ? 0 : triangular(UInt128(first - 1))
        return Int128(triangular(UInt128(last)) - below)
    }
}
