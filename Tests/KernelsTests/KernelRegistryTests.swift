import Kernels
import Testing

struct KernelRegistryTests {
    @Test func namesAreUnique() {
        #expect(Set(KernelRegistry.names).count == KernelRegistry.builtIn.count)
    }

    @Test func lookupsFindEachKernelAndNothingElse() {
        for kernel in KernelRegistry.builtIn {
            #expect(KernelRegistry.kernel(named: kernel.name)?.name == kernel.name)
        }
        #expect(KernelRegistry.kernel(named: "fibonacci") == nil)
        #expect(KernelRegistry.kernel(named: "") == nil)
    }

    @Test func sumIsTheDefaultNameUsersType() {
        #expect(KernelRegistry.kernel(named: "sum") != nil)
        #expect(KernelRegistry.kernel(named: "primes") != nil)
        #expect(KernelRegistry.kernel(named: "primes-mr") != nil)
    }

    enum Plain: Kernel {
        static let name = "plain"
        static let summary = "a kernel with no known answer"
        static func evaluate(lo: UInt64, hi: UInt64) -> Int128 { -Int128(hi - lo) }
    }

    @Test func aKernelWithoutAKnownAnswerNeedsNoCodeForIt() {
        #expect(Plain.expectedTotal(first: 1, last: 10) == nil)
        #expect(Plain.evaluate(lo: 1, hi: 10) == -9)
    }
}
