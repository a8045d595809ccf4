public import ArgumentParser
import FoundationEssentials

#if canImport(Glibc)
    import Glibc
#endif

/// Lets every option of a role also come from the environment, as `SCATTERGATHER_<ROLE>_<OPTION>`:
/// `--results` of the sink is `SCATTERGATHER_SINK_RESULTS`, `--log-level` is `SCATTERGATHER_SINK_LOG_LEVEL`.
///
/// The command line wins over the environment. A flag's variable takes `1`/`true`/`yes`/`on` or
/// `0`/`false`/`no`/`off`; a repeatable option's takes its values separated by commas or spaces (or, for options whose
/// values hold spaces, such as `--command`, one per line).
/// A variable with the role's prefix that names no option is an error, so a typo is not silently ignored.
public struct EnvironmentOptions: Sendable {
    /// What a variable can set.
    public enum Kind: Sendable {
        /// An option that takes one value.
        case option
        /// An option that may be given several times.
        case repeatable
        /// A flag, which takes no value.
        case flag
    }

    /// A problem with a variable, worded for the user.
    public struct Problem: Error, CustomStringConvertible {
        public let description: String
    }

    /// `SCATTERGATHER_SINK_`, for role `sink`.
    public let prefix: String
    /// Long option names (without `--`) and what they take, in the order `--help` lists them.
    public let options: [(name: String, kind: Kind)]

    /// Long options that exclude each other: when the command line gives one of a set, the environment's values
    /// for the others are ignored, so the command line wins (`--from` on the command line over an `N` variable).
    public let alternatives: [[String]]

    /// Repeatable options whose variable holds one value per line, because a value may hold spaces and commas.
    public let oneValuePerLine: Set<String>

    public init(
        role: String, options: [(name: String, kind: Kind)], alternatives: [[String]] = [], oneValuePerLine: Set<String> = []
    ) {
        prefix = "SCATTERGATHER_\(role.uppercased())_"
        self.options = options
        self.alternatives = alternatives
        self.oneValuePerLine = oneValuePerLine
    }

    /// The variables of every option `arguments` declares (through its option groups too), derived from
    /// ArgumentParser's own description of them, so no option can be left without its variable.
    public init(
        role: String, arguments: any ParsableArguments.Type, alternatives: [[String]] = [], oneValuePerLine: Set<String> = []
    ) {
        self.init(role: role, options: Self.options(of: arguments), alternatives: alternatives, oneValuePerLine: oneValuePerLine)
    }

    static func options(of arguments: any ParsableArguments.Type) -> [(name: String, kind: Kind)] {
        // `_dumpHelp()` is ArgumentParser's JSON description of the arguments (its `--experimental-dump-help`).
        let json = arguments._dumpHelp()
        guard let info = try? JSONDecoder().decode(DumpedHelp.self, from: Data(json.utf8)) else {
            preconditionFailure("ArgumentParser described \(arguments) in a form this build cannot read")
        }
        return (info.command.arguments ?? []).compactMap { argument in
            guard argument.kind != "positional", argument.shouldDisplay,
                let name = argument.names?.first(where: { $0.kind == "long" })?.name, name != "help", name != "version"
            else { return nil }
            let kind: Kind = argument.kind == "flag" ? .flag : argument.isRepeating ? .repeatable : .option
            return (name, kind)
        }
    }

    /// The part of ArgumentParser's dumped help (its `ToolInfoV0`, version 0) that names the options.
    private struct DumpedHelp: Decodable {
        struct Command: Decodable { let arguments: [Argument]? }
        struct Argument: Decodable {
            let kind: String
            let names: [Name]?
            let isRepeating: Bool
            let shouldDisplay: Bool
        }
        struct Name: Decodable {
            let kind: String
            let name: String
        }
        let command: Command
    }

    /// The variable for `--name`.
    public func variable(for name: String) -> String {
        prefix + String(name.uppercased().map { $0 == "-" ? "_" : $0 })
    }

    /// The command line with options that it does not give taken from `environment`, appended.
    public func arguments(_ commandLine: [String], environment: [String: String]) throws(Problem) -> [String] {
        try merge(commandLine, environment: environment).arguments
    }

    /// The merged arguments, and the variables that contributed to them.
    func merge(_ commandLine: [String], environment: [String: String]) throws(Problem) -> (arguments: [String], used: [String]) {
        let known = Set(options.map { variable(for: $0.name) })
        if let unknown = environment.keys.sorted().first(where: { $0.hasPrefix(prefix) && !known.contains($0) }) {
            throw Problem(
                description: "\(unknown) is set, but names no option; the options that can be set this way are "
                    + options.map { variable(for: $0.name) }.joined(separator: ", "))
        }
        // Options after a `--` terminator would be positional; these commands take none, so append.
        var arguments = commandLine
        var used: [String] = []
        let given = Set(options.map(\.name).filter { Self.gives(commandLine, "--" + $0) })
        // The sets the command line chose from; the environment may not add options of their alternatives.
        let chosen = alternatives.filter { $0.contains(where: given.contains) }
        let excluded = Set(chosen.flatMap { set in alternatives.filter { $0 != set }.joined() })
        for (name, kind) in options {
            let flag = "--" + name
            guard let value = environment[variable(for: name)], !given.contains(name), !excluded.contains(name) else { continue }
            used.append(variable(for: name))
            switch kind {
            case .option:
                arguments += [flag, value]
            case .repeatable:
                let values =
                    oneValuePerLine.contains(name)
                    ? value.split(whereSeparator: \.isNewline).map { line in
                        String(line.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
                    }.filter { !$0.isEmpty }
                    : value.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init)
                guard !values.isEmpty else {
                    throw Problem(description: "\(variable(for: name)) is set but empty; unset it or give a value")
                }
                for value in values { arguments += [flag, value] }
            case .flag:
                switch value.lowercased() {
                case "1", "true", "yes", "on": arguments.append(flag)
                case "0", "false", "no", "off", "": break
                default:
                    throw Problem(description: "\(variable(for: name))='\(value)' is not a yes or no; write 1 or 0")
                }
            }
        }
        return (arguments, used)
    }

    private static func gives(_ commandLine: [String], _ flag: String) -> Bool {
        commandLine.contains { $0 == flag || $0.hasPrefix(flag + "=") }
    }

    /// For `--help`: which variables exist.
    public var helpText: String {
        "Every option can also be set in the environment, e.g. \(variable(for: options[0].name)) for --\(options[0].name); "
            + "the command line wins. Variables: " + options.map { variable(for: $0.name) }.joined(separator: ", ") + "."
    }
}

extension ParsableCommand {
    /// Runs the command with options from the command line and then from the environment (see ``EnvironmentOptions``),
    /// and exits. A bad variable is a usage error (exit 64) that names it.
    public static func main(environment options: EnvironmentOptions) -> Never {
        main(environment: options) { command in
            var command = command
            try command.run()
        }
    }

    /// Like ``main(environment:)``, but runs the parsed command with `body` instead of its `run()`: a library's
    /// entry point can hand the command what only it has (a custom worker's kernels).
    public static func main(environment options: EnvironmentOptions, running body: (Self) throws -> Void) -> Never {
        let role = configuration.commandName ?? "error"
        let merged: (arguments: [String], used: [String])
        do {
            merged = try options.merge(Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment)
        } catch {
            printError("\(role): error: \(error)")
            exit(withError: ExitCode(64))
        }
        do {
            let command = try parseAsRoot(merged.arguments)
            if let command = command as? Self {
                try body(command)
            } else {
                var other = command
                try other.run()
            }
        } catch {
            let code = exitCode(for: error)
            if !merged.used.isEmpty && code == .validationFailure {
                printError(fullMessage(for: error))
                printError("\(role): note: set from the environment: \(merged.used.joined(separator: ", "))")
                Glibc.exit(code.rawValue)
            }
            exit(withError: error)
        }
        exit()
    }
}
