public import ArgumentParser
public import Pipeline
import PipelineCore

/// `--keys`: the role's own CURVE key pair file. Every role takes it.
public struct KeyPairOption: ParsableArguments {
    @Option(help: "This role's CURVE key pair file (from `keygen`): turns on encryption and authentication.")
    public var keys: String?

    public init() {}
}

/// `--allow`: the public keys a role that binds (the sink, the ventilator) admits.
public struct AllowListOption: ParsableArguments {
    @Option(
        help:
            "With --keys: file of the public keys allowed to connect, one per line (the workers'; at the sink, the ventilators' too)."
    )
    public var allow: String?

    public init() {}
}

/// `--sink-key`: the sink's public key, for the roles that connect to it.
public struct SinkKeyOption: ParsableArguments {
    @Option(name: .customLong("sink-key"), help: "With --keys: the sink's public key (its .pub file, or the key itself).")
    public var sinkKey: String?

    public init() {}
}

/// `--ventilator-key`: the ventilator's public key, for workers.
public struct VentilatorKeyOption: ParsableArguments {
    @Option(
        name: .customLong("ventilator-key"), help: "With --keys: the ventilator's public key (its .pub file, or the key itself).")
    public var ventilatorKey: String?

    public init() {}
}

/// The CURVE flags one role takes, checked together and loaded in one place: `--keys` and the flags that must
/// come with it (each `nil` when given, or the role does not take it).
public struct CurveFlags {
    /// A flag that must come with `--keys`.
    public struct Companion {
        let flag: String
        let value: String?
        let what: String

        public init(_ flag: String, _ value: String?, what: String) {
            self.flag = flag
            self.value = value
            self.what = what
        }
    }

    let keys: String?
    let companions: [Companion]

    public init(keys: String?, companions: [Companion]) {
        self.keys = keys
        self.companions = companions
    }

    /// Checks that the flags come together, without reading any file.
    public func check() throws(ValidationError) {
        let names = companions.map(\.flag).joined(separator: " and ")
        guard keys != nil else {
            if companions.contains(where: { $0.value != nil }) {
                throw ValidationError("\(names) \(companions.count == 1 ? "needs" : "need") --keys")
            }
            return
        }
        guard companions.allSatisfy({ $0.value != nil }) else {
            throw ValidationError("--keys needs " + companions.map { "\($0.flag) (\($0.what))" }.joined(separator: " and "))
        }
    }

    /// The CURVE settings the flags describe, reading each file once; `nil` for plaintext. With keys, prints the
    /// role's key fingerprint on standard error (`sink: CURVE key …`), the name its peers' logs and reports use.
    public func security(announcingAs role: String) throws(ValidationError) -> CurveSecurity? {
        let security = try security()
        if let keys = security?.keys {
            printError(
                "\(role): CURVE key \(keys.fingerprint) (its public key's first 8 bytes; peers list the whole key in --allow)")
        }
        return security
    }

    /// The CURVE settings the flags describe, reading each file once; `nil` for plaintext.
    public func security() throws(ValidationError) -> CurveSecurity? {
        try check()
        guard let keys else { return nil }
        func value(_ flag: String) -> String? { companions.first { $0.flag == flag }?.value }
        do {
            let pair = try KeyFiles.readPair(keys, flag: "--keys")
            let allowList = try value("--allow").map { (path) throws(KeyFiles.Problem) in
                try AllowList(KeyFiles.readAllowList(path, flag: "--allow", ownKeys: pair), reload: processReloadFlag) {
                    try KeyFiles.readAllowList(path, flag: "--allow", ownKeys: pair)
                }
            }
            return CurveSecurity(
                keys: pair, allowList: allowList ?? AllowList([]),
                sinkPublicKey: try value("--sink-key").map { (key) throws(KeyFiles.Problem) in
                    try KeyFiles.readPublicKey(key, flag: "--sink-key")
                },
                ventilatorPublicKey: try value("--ventilator-key").map { (key) throws(KeyFiles.Problem) in
                    try KeyFiles.readPublicKey(key, flag: "--ventilator-key")
                })
        } catch {
            throw ValidationError(error.description)
        }
    }
}
