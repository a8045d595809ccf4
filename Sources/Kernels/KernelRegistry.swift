/// The kernels built into every worker, and how names find them.
public enum KernelRegistry {
    /// Registration: one line per built-in kernel.
    public static let builtIn: [any Kernel.Type] = [
        SumKernel.self,
        PrimeCountKernel.self,
        PrimeTestKernel.self,
    ]

    /// The built-in kernel a job named, or `nil`.
    public static func kernel(named name: String) -> (any Kernel.Type)? {
        builtIn.first { $0.name == name }
    }

    /// The sum over `first...last` of the built-in kernel `name`, when it has a known answer there.
    public static func knownSum(of name: String, first: UInt64, last: UInt64) -> Int128? {
        kernel(named: name)?.expectedTotal(first: first, last: last)
    }

    /// Built-in kernel names, for help and error messages.
    public static var names: [String] { builtIn.map { $0.name } }
}
