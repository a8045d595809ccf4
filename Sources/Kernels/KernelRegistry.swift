public import Wire

/// Every kernel this build can run.
public enum KernelRegistry {
    /// Registration: one line per kernel.
    public static let all: [any Kernel.Type] = [
        SumKernel.self,
        PrimeCountKernel.self,
    ]

    /// The kernel a task names, or `nil` when this build does not have it.
    public static func kernel(for id: KernelID) -> (any Kernel.Type)? {
        all.first { $0.id == id }
    }

    /// The kernel a user named, or `nil`.
    public static func kernel(named name: String) -> (any Kernel.Type)? {
        all.first { $0.name == name }
    }

    /// Kernel names, for help and error messages.
    public static var names: [String] { all.map { $0.name } }
}
