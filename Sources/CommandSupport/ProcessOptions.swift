public import ArgumentParser
public import Logging

/// Options every role takes about its own process: how much it logs, and whether it lives only as long as
/// the process that started it.
public struct ProcessOptions: ParsableArguments {
    /// These options as the environment can set them, for a role's ``EnvironmentOptions``.
    public static let environment: [(name: String, kind: EnvironmentOptions.Kind)] = [
        ("log-level", .option), ("exit-with-parent", .flag),
    ]

    @Option(name: .customLong("log-level"), help: "How much to log on standard error.")
    public var logLevel: Logger.Level = .info

    @Flag(
        name: .customLong("exit-with-parent"),
        help: "Stop gracefully when the process that started this one dies, even by SIGKILL (for launchers such as scripts/run).")
    public var exitWithParent = false

    public init() {}
}
