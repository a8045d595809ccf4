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

            Check a host's keys before starting its role: keygen --check keys/worker-1.key --peer keys/sink.pub \
            --peer keys/ventilator.pub (and, on a sink or ventilator host, --allow FILE). It checks the pair (its mode, \
            its owner, that its halves match) and every file as the role would read it, and prints each key's \
            fingerprint: the one each role logs at start.

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
    var names: [String] = []

    @Option(help: ArgumentHelp("Check this key pair file instead of making pairs.", valueName: "pair.key"))
    var check: String?

    @Option(help: "With --check: a peer's public key file (or key) to check too, such as the sink's; repeatable.")
    var peer: [String] = []

    @Option(help: "With --check: an allow list to check, and whether it holds the pair's public key.")
    var allow: String?

    func validate() throws {
        if check != nil {
            guard names.isEmpty else { throw ValidationError("--check takes no names: it makes no pairs") }
            return
        }
        if !peer.isEmpty || allow != nil { throw ValidationError("--peer and --allow go with --check") }
        if names.isEmpty { throw ValidationError("name at least one key pair, e.g. `keygen sink`") }
        for name in names where name.isEmpty || name.contains("/") {
            throw ValidationError("'\(name)' cannot be a file name; use letters, digits and dashes")
        }
        guard CurveKeyPair.isSupported else {
            throw ValidationError("this libzmq was built without CURVE (libsodium); install Debian's libzmq3-dev")
        }
    }

    func run() throws {
        if let check {
            try checkKeys(check)
            return
        }
        for name in names {
            let pair = try CurveKeyPair.generate()
            let paths = try KeyFiles.write(pair, name: name, in: out)
            printLine("\(name): \(pair.publicKey)  (\(paths.secret), \(paths.public))")
        }
    }
}

extension KeygenOptions {
    /// Reads every file as a role would, and says what is in it; the first problem is a usage error naming it.
    func checkKeys(_ path: String) throws {
        do {
            let pair = try KeyFiles.readPair(path, flag: "--check")
            printLine("\(path): a key pair, readable by its owner only, halves match; public key \(pair.fingerprint)")
            for key in peer {
                let publicKey = try KeyFiles.readPublicKey(key, flag: "--peer")
                printLine("\(key): public key \(CurveKeyPair.fingerprint(of: publicKey))")
            }
            if let allow {
                let keys = try KeyFiles.readAllowList(allow, flag: "--allow", ownKeys: pair)
                let listed = keys.contains(pair.publicKey) ? "holds this pair's public key" : "does not hold this pair's key"
                let fingerprints = keys.map(CurveKeyPair.fingerprint(of:)).sorted().joined(separator: ", ")
                printLine("\(allow): \(keys.count) public key(s), \(listed): \(fingerprints)")
            }
        } catch {
            throw ValidationError(error.description)
        }
    }
}
