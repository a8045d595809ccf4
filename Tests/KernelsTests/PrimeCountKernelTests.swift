import Kernels
import Testing

struct PrimeCountKernelTests {
    /// π(x) from OEIS A006880, computed here by the kernel itself.
    @Test(arguments: [(10, 4), (100, 25), (1_000, 168), (10_000, 1_229), (100_000, 9_592)] as [(UInt64, Int128)])
    func countsMatchPublishedPi(x: UInt64, pi: Int128) {
        #expect(PrimeCountKernel.evaluate(lo: 1, hi: x) == pi)
        #expect(PrimeCountKernel.expectedTotal(first: 1, last: x) == pi)
    }

    @Test func agreesWithTrialDivisionOnSmallNumbers() {
        func trial(_ n: UInt64) -> Bool {
            guard n >= 2 else { return false }
            var d: UInt64 = 2
            while d * d <= n {
                if n % d == 0 { return false }
                d += 1
            }
            return true
        }
        for n in UInt64(0)...20_000 {
            #expect(PrimeCountKernel.isPrime(n) == trial(n), "n = \(n)")
        }
    }

    @Test func knownLargePrimesAndComposites() {
        #expect(PrimeCountKernel.isPrime(18_446_744_073_709_551_557))  // 2^64 - 59, the largest 64-bit prime
        #expect(!PrimeCountKernel.isPrime(.max))  // 2^64 - 1 = 3 · 5 · 17 · 257 · 641 · 65537 · 6700417
        #expect(PrimeCountKernel.isPrime(4_294_967_291))  // largest 32-bit prime
        #expect(!PrimeCountKernel.isPrime(3_215_031_751))  // strong pseudoprime to bases 2, 3, 5, 7
        #expect(!PrimeCountKernel.isPrime(3_825_123_056_546_413_051))  // strong pseudoprime to bases 2 ... 23
    }

    @Test func theLastHundred64BitIntegersHoldThreePrimes() {
        // 2^64 - 59, 2^64 - 83 and 2^64 - 95.
        #expect(PrimeCountKernel.evaluate(lo: .max - 99, hi: .max) == 3)
    }

    @Test func theEmptyRangeCountsZero() {
        #expect(PrimeCountKernel.evaluate(lo: 10, hi: 9) == 0)
    }

    @Test func rangesWithoutPublishedValuesAreUnverifiable() {
        #expect(PrimeCountKernel.expectedTotal(first: 1, last: 12_345) == nil)
        #expect(PrimeCountKernel.expectedTotal(first: 101, last: 1_000) == 143)
    }
}
