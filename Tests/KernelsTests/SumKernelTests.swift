import Kernels
import Testing

struct SumKernelTests {
    func naive(_ lo: UInt64, _ hi: UInt64) -> Int128 {
        (lo...hi).reduce(Int128(0)) { $0 + Int128($1) }
    }

    @Test(arguments: [(0, 0), (1, 1), (1, 10), (3, 4), (7, 1000), (999, 1001)] as [(UInt64, UInt64)])
    func matchesTheNaiveSum(lo: UInt64, hi: UInt64) {
        #expect(SumKernel.evaluate(lo: lo, hi: hi) == naive(lo, hi))
        #expect(SumKernel.expectedTotal(first: lo, last: hi) == naive(lo, hi))
    }

    @Test func theEmptyRangeSumsToZero() {
        #expect(SumKernel.evaluate(lo: 5, hi: 4) == 0)
        #expect(SumKernel.evaluate(lo: .max, hi: 0) == 0)
    }

    @Test func oneToABillionIsTheFamousNumber() {
        #expect(SumKernel.expectedTotal(first: 1, last: 1_000_000_000) == 500_000_000_500_000_000)
        #expect(SumKernel.evaluate(lo: 1, hi: 1_000_000_000) == 500_000_000_500_000_000)
    }

    @Test func rangesNearUInt64MaxAreExactIn128Bits() {
        let max = Int128(UInt64.max)
        #expect(SumKernel.evaluate(lo: .max, hi: .max) == max)
        #expect(SumKernel.evaluate(lo: .max - 2, hi: .max) == 3 * max - 3)
        // The whole 64-bit range: (2^64 - 1) * 2^64 / 2 = 2^127 - 2^63.
        let whole = Int128.max - (Int128(1) << 63) + 1
        #expect(SumKernel.evaluate(lo: 0, hi: .max) == whole)
        #expect(SumKernel.expectedTotal(first: 0, last: .max) == whole)
        #expect(SumKernel.expectedTotal(first: 1, last: .max) == whole)
    }

    @Test func partialsOfASplitRangeAddUpToTheWhole() {
        let split: UInt64 = .max / 3
        #expect(
            SumKernel.evaluate(lo: 0, hi: split) + SumKernel.evaluate(lo: split + 1, hi: .max)
                == SumKernel.evaluate(lo: 0, hi: .max))
    }
}
