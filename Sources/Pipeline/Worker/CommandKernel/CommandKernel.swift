public import Wire

/// A kernel that is a program: `worker --command NAME=CMDLINE`. The worker starts it once and feeds it tasks over
/// the line protocol (topology.md, *Command kernels*).
public struct CommandKernel: Hashable, Sendable {
    public let name: KernelName
    /// The program and its arguments; the program is looked up in `PATH` unless it holds a `/`.
    public let arguments: [String]
    /// The command line as the user wrote it, for messages.
    public let commandLine: String

    public init(name: KernelName, arguments: [String], commandLine: String) {
        self.name = name
        self.arguments = arguments
        self.commandLine = commandLine
    }
}
