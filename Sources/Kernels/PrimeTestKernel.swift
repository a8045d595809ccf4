/// The number of primes in the range, each number tested on its own (Miller-Rabin): about 65 ns a number near 10^9,
/// hundreds of times slower than the sieve of ``PrimeCountKernel``, on purpose. Compute-bound work of an even cost
/// per number that the optimizer cannot fold: what tests that need a job to last, and scaling measurements, use.
public enum PrimeTestKernel: Kernel {
    public static let name = "primes-mr"
    public static let summary =
        "the count of primes in the range, by Miller-Rabin per number: slow on purpose (verified against published π(x))"

    public static func evaluate(lo: UInt64, hi: UInt64) -> Int128 {
        Int128(MillerRabin.count(lo: lo, hi: hi))
    }

    public static let answerSource = PublishedPi.source

    public static func expectedTotal(first: UInt64, last: UInt64) -> Int128? {
        PublishedPi.primes(first: first, last: last)
    }
}
