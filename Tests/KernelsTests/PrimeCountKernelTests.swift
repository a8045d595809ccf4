import Kernels
import Testing

struct PrimeCountKernelTests {
    /// π(x) from OEIS A006880, computed here by each prime kernel itself.
    @Test(
        arguments: [(10, 4), (100, 25), (1_000, 168), (10_000, 1_229), (100_000, 9_592), (10_000_000, 664_579)]
            as [(UInt64, Int128)])
    func countsMatchPublishedPi(x: UInt64, pi: Int128) {
        #expect(PrimeCountKernel.evaluate(lo: 1, hi: x) == pi)
        #expect(PrimeCountKernel.expectedTotal(first: 1, last: x) == pi)
        #expect(PrimeTestKernel.expectedTotal(first: 1, last: x) == pi)
        if x <= 100_000 { #expect(PrimeTestKernel.evaluate(lo: 1, hi: x) == pi) }
    }

    @Test func theSieveCountsToTenToTheNine() {
        #expect(PrimeCountKernel.evaluate(lo: 0, hi: 1_000_000_000) == 50_847_534)
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
            #expect(MillerRabin.isPrime(n) == trial(n), "n = \(n)")
        }
    }

    @Test func knownLargePrimesAndComposites() {
        #expect(MillerRabin.isPrime(18_446_744_073_709_551_557))  // 2^64 - 59, the largest 64-bit prime
        #expect(!MillerRabin.isPrime(.max))  // 2^64 - 1 = 3 · 5 · 17 · 257 · 641 · 65537 · 6700417
        #expect(MillerRabin.isPrime(4_294_967_291))  // largest 32-bit prime
        #expect(!MillerRabin.isPrime(3_215_031_751))  // strong pseudoprime to bases 2, 3, 5, 7
        #expect(!MillerRabin.isPrime(3_825_123_056_546_413_051))  // strong pseudoprime to bases 2 ... 23
    }

    /// The sieve and the test agree on ranges of every width at every height, on both sides of where the kernel
    /// switches from one to the other: near 10^9, 10^12, 10^15 and 2^64.
    @Test(arguments: [1_000_000_000, 1_000_000_000_000, 1_000_000_000_000_000, UInt64.max - 1_000_000] as [UInt64])
    func theSieveAndTheTestAgree(at height: UInt64) {
        for width: UInt64 in [0, 1, 100, 511, 512, 513, 10_000, 100_000] {
            let lo = height - width / 2
            #expect(
                PrimeCountKernel.evaluate(lo: lo, hi: lo + width) == PrimeTestKernel.evaluate(lo: lo, hi: lo + width),
                "lo = \(lo), width = \(width)")
        }
    }

    @Test func theLastHundred64BitIntegersHoldThreePrimes() {
        // 2^64 - 59, 2^64 - 83 and 2^64 - 95.
        #expect(PrimeCountKernel.evaluate(lo: .max - 99, hi: .max) == 3)
        #expect(PrimeTestKernel.evaluate(lo: .max - 99, hi: .max) == 3)
    }

    @Test func theEmptyRangeCountsZero() {
        #expect(PrimeCountKernel.evaluate(lo: 10, hi: 9) == 0)
        #expect(PrimeTestKernel.evaluate(lo: 10, hi: 9) == 0)
    }

    @Test func rangesWithoutPublishedValuesAreUnverifiable() {
        #expect(PrimeCountKernel.expectedTotal(first: 1, last: 12_345) == nil)
        #expect(PrimeCountKernel.expectedTotal(first: 101, last: 1_000) == 143)
    }
}
