/// The number of primes in the range, tested one by one: compute-bound work the optimizer cannot fold,
/// verified against published values of π(x).
public enum PrimeCountKernel: Kernel {
    public static let name = "primes"
    public static let summary =
        "the count of primes in the range, by Miller-Rabin per element: compute-bound (verified against published π(x))"

    public static func evaluate(lo: UInt64, hi: UInt64) -> Int128 {
        guard lo <= hi else { return 0 }
        var count: UInt64 = 0
        var n = lo
        while true {
            if isPrime(n) { count += 1 }
            if n == hi { break }
            n += 1
        }
        return Int128(count)
    }

    public static let answerSource = "published values of π(x)"

    public static func expectedTotal(first: UInt64, last: UInt64) -> Int128? {
        guard first <= last else { return 0 }
        guard let upper = publishedPi[last], let lower = first == 0 ? 0 : publishedPi[first - 1] else { return nil }
        return Int128(upper - lower)
    }

    /// π(x) for the x where it is published (OEIS A006880, and π(2^32)).
    static let publishedPi: [UInt64: UInt64] = [
        0: 0, 1: 0, 10: 4, 100: 25, 1_000: 168, 10_000: 1_229, 100_000: 9_592, 1_000_000: 78_498,
        10_000_000: 664_579, 100_000_000: 5_761_455, 1_000_000_000: 50_847_534,
        10_000_000_000: 455_052_511, 100_000_000_000: 4_118_054_813, 1_000_000_000_000: 37_607_912_018,
        4_294_967_296: 203_280_221,
    ]

    private static let smallPrimes: [UInt64] = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37]

    /// Deterministic for every 64-bit `n`: Miller-Rabin with the first twelve primes as bases.
    public static func isPrime(_ n: UInt64) -> Bool {
        if n < 2 { return false }
        for p in smallPrimes {
            if n == p { return true }
            if n % p == 0 { return false }
        }
        if n < 41 * 41 { return true }
        var d = n - 1
        var shift = 0
        while d & 1 == 0 {
            d >>= 1
            shift += 1
        }
        let bases = n < 3_215_031_751 ? smallPrimes.prefix(4) : smallPrimes.prefix(12)
        witness: for a in bases {
            var x = power(a, d, n)
            if x == 1 || x == n - 1 { continue }
            for _ in 1..<max(shift, 1) {
                x = multiply(x, x, n)
                if x == n - 1 { continue witness }
            }
            return false
        }
        return true
    }

    @inline(__always)
    private static func multiply(_ a: UInt64, _ b: UInt64, _ m: UInt64) -> UInt64 {
        m.dividingFullWidth(a.multipliedFullWidth(by: b)).remainder
    }

    private static func power(_ base: UInt64, _ exponent: UInt64, _ m: UInt64) -> UInt64 {
        var result: UInt64 = 1
        var base = base % m
        var exponent = exponent
        while exponent > 0 {
            if exponent & 1 == 1 { result = multiply(result, base, m) }
            base = multiply(base, base, m)
            exponent >>= 1
        }
        return result
    }
}
