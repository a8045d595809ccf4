/// Primality of one 64-bit integer, without a sieve.
public enum MillerRabin {
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

    /// The number of primes in `lo...hi`, tested one by one.
    public static func count(lo: UInt64, hi: UInt64) -> UInt64 {
        guard lo <= hi else { return 0 }
        var count: UInt64 = 0
        var n = lo
        while true {
            if isPrime(n) { count += 1 }
            if n == hi { break }
            n += 1
        }
        return count
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
