import Kernels
import Testing

struct KernelRegistryTests {
    @Test func idsAndNamesAreUnique() {
        #expect(Set(KernelRegistry.all.map { $0.id }).count == KernelRegistry.all.count)
        #expect(Set(KernelRegistry.names).count == KernelRegistry.all.count)
    }

    @Test func lookupsFindEachKernelAndNothingElse() {
        for kernel in KernelRegistry.all {
            #expect(KernelRegistry.kernel(named: kernel.name)?.id == kernel.id)
            #expect(KernelRegistry.kernel(for: kernel.id)?.name == kernel.name)
        }
        #expect(KernelRegistry.kernel(named: "fibonacci") == nil)
        #expect(KernelRegistry.kernel(named: "") == nil)
    }

    @Test func sumIsTheDefaultNameUsersType() {
        #expect(KernelRegistry.kernel(named: "sum") != nil)
        #expect(KernelRegistry.kernel(named: "primes") != nil)
    }
}
