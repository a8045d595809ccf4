import ArgumentParser
import CommandSupport
import ZeroMQ

@main
struct KeygenCommand: ParsableCommand {
    static let environment = EnvironmentOptions(role: "keygen", arguments: KeygenOptions.self)

    static let configuration = CommandConfiguration(
        commandName: "keygen",
        abstract: "Make CurveZMQ key pairs for the roles: NAME.key (secret, mode 0600) and NAME.pub (give it to peers).",
        discussion: """
            Example, one pair per role: keygen --out keys sink ventilator worker-1 worker-2
            Then list the workers' .pub keys (one per line) in the file given to the ventilator's --allow, and the \
            workers' and ventilator's in the sink's --allow.

            \(environment.helpText)
            """)

    static func main() { main(environment: environment) }

    @OptionGroup var options: KeygenOptions

    func run() throws {
        try options.run()
    }
}

/// Every option and argument of `keygen`, one group, so the environment's variables can be derived from them.
struct KeygenOptions: ParsableArguments {
    @Option(help: "Folder to write the key files in (created if missing).")
    var out = "."

    @Argument(help: "One name per key pair, e.g. sink, ventilator, worker-1.")
    var names: [String]

    func validate() throws {
        if names.isEmpty { throw ValidationError("name at least one key pair, e.g. `keygen sink`") }
        for name in names where name.isEmpty || name.contains("/") {
            throw ValidationError("'\(name)' cannot be a file name; use letters, digits and dashes")
        }
        guard CurveKeyPair.isSupported else {
            throw ValidationError("this libzmq was built without CURVE (libsodium); install Debian's libzmq3-dev")
        }
    }

    func run() throws {
        for name in names {
            let pair = try CurveKeyPair.generate()
            let paths = try KeyFiles.write(pair, name: name, in: out)
            printLine("\(name): \(pair.publicKey)  (\(paths.secret), \(paths.public))")
        }
    }
}
