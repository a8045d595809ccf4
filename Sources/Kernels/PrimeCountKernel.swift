internal import CPrimesieve

/// The number of primes in the range, by a segmented sieve of Eratosthenes (libprimesieve, on one thread): about
/// 0.1 ns a number up to 10^10, exact for every 64-bit range, verified against published values of π(x).
public enum PrimeCountKernel: Kernel {
    public static let name = "primes"
    public static let summary =
        "the count of primes in the range, by a segmented sieve (libprimesieve): verified against published π(x)"

    /// A worker runs one task at a time on each of its threads: each sieve uses the thread it is called on.
    private static let oneThreadEach: Void = primesieve_set_num_threads(1)

    public static func evaluate(lo: UInt64, hi: UInt64) -> Int128 {
        guard lo <= hi else { return 0 }
        if sievePays(lo: lo, hi: hi) {
            _ = oneThreadEach
            let count = primesieve_count_primes(lo, hi)
            if count != primesieveError { return Int128(count) }
        }
        // A range too narrow to pay for sieving up to √hi, or one libprimesieve refuses: test each number.
        return Int128(MillerRabin.count(lo: lo, hi: hi))
    }

    public static let answerSource = PublishedPi.source

    public static func expectedTotal(first: UInt64, last: UInt64) -> Int128? {
        PublishedPi.primes(first: first, last: last)
    }

    /// `PRIMESIEVE_ERROR`, which Swift cannot import: no range holds 2^64 - 1 primes.
    private static let primesieveError = UInt64.max

    /// A sieve first finds the primes up to √hi (and costs tens of microseconds to set up), then about 0.1 ns a
    /// number (several near 2^64); a test costs about 50 to 65 ns a number. So a sieve pays unless the range is narrow next to
    /// √hi, or a few hundred numbers in all.
    static func sievePays(lo: UInt64, hi: UInt64) -> Bool {
        let width = hi - lo
        return width >= 512 && width >= squareRoot(hi) / 128
    }

    private static func squareRoot(_ n: UInt64) -> UInt64 {
        var root = UInt64(Double(n).squareRoot())  // within one of the root; 2^32 at most
        while true {
            let (square, overflow) = root.multipliedReportingOverflow(by: root)
            if !overflow && square <= n { return root }
            root -= 1
        }
    }
}
