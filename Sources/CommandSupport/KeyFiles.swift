import FoundationEssentials
public import ZeroMQ

#if canImport(Glibc)
    import Glibc
#endif

/// CurveZMQ key files: `NAME.key` holds a pair and is readable by its owner only; `NAME.pub` holds the public
/// key, to give to peers. An allow list is a file of public keys, one per line (`#` starts a comment).
///
/// Every file is checked like the network input it is: a size limit before it is read, any line ending, and a
/// short, escaped quote of a bad line. A secret key file that others could read is refused, as OpenSSH refuses one.
public enum KeyFiles {
    /// Why a key file could not be used, worded for the command line.
    public struct Problem: Error, CustomStringConvertible {
        public let description: String
    }

    /// Writes a new pair as `NAME.key` (mode 0600) and `NAME.pub` in `directory`; returns their paths.
    public static func write(_ pair: CurveKeyPair, name: String, in directory: String) throws(Problem) -> (
        secret: String, public: String
    ) {
        let secretPath = directory + (directory.hasSuffix("/") ? "" : "/") + "\(name).key"
        let publicPath = directory + (directory.hasSuffix("/") ? "" : "/") + "\(name).pub"
        let manager = FileManager.default
        do {
            try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw Problem(description: "cannot create \(directory): \(error)")
        }
        let secret = Data("public \(pair.publicKey)\nsecret \(pair.secretKey)\n".utf8)
        guard manager.createFile(atPath: secretPath, contents: secret, attributes: [.posixPermissions: 0o600]) else {
            throw Problem(description: "cannot write \(secretPath)")
        }
        // createFile keeps the mode of a file that already existed: set it again.
        try? manager.setAttributes([.posixPermissions: 0o600], ofItemAtPath: secretPath)
        guard manager.createFile(atPath: publicPath, contents: Data("\(pair.publicKey)\n".utf8)) else {
            throw Problem(description: "cannot write \(publicPath)")
        }
        return (secretPath, publicPath)
    }

    /// The largest key or `.pub` file read (a pair file is about 100 bytes).
    public static let maxKeyFileBytes = 4096
    /// The largest allow list read: about 20,000 keys.
    public static let maxAllowListBytes = 1 << 20

    /// Reads a pair written by ``write(_:name:in:)``, refusing one that group or others can read, that another user
    /// owns, or whose public half is not the one its secret half makes.
    public static func readPair(_ path: String, flag: String) throws(Problem) -> CurveKeyPair {
        try checkSecretFile(path, flag: flag)
        let text = try read(path, flag: flag, limit: maxKeyFileBytes)
        var fields: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
            if parts.count == 2 { fields[parts[0]] = parts[1].trimmingWhitespace() }
        }
        guard let publicKey = fields["public"], let secretKey = fields["secret"],
            let pair = try? CurveKeyPair(publicKey: publicKey, secretKey: secretKey)
        else {
            throw Problem(
                description:
                    "\(flag) \(path) is not a key pair file (lines 'public KEY' and 'secret KEY'); make one with `keygen`")
        }
        guard CurveKeyPair.publicKey(forSecretKey: pair.secretKey) == pair.publicKey else {
            throw Problem(
                description:
                    "\(flag) \(path): its public key is not the one its secret key makes (the halves of two pairs?); "
                    + "make a new pair with `keygen`")
        }
        return pair
    }

    /// Refuses a secret key file that is not a regular file, that group or others may read, or that a user other than
    /// this one (or root) owns: the key in it may be known to others.
    static func checkSecretFile(_ path: String, flag: String) throws(Problem) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw Problem(description: "\(flag) \(path): cannot read the file (\(String(cString: strerror(errno))))")
        }
        guard info.st_mode & S_IFMT == S_IFREG else { throw Problem(description: "\(flag) \(path) is not a regular file") }
        let mode = info.st_mode & 0o777
        guard mode & 0o077 == 0 else {
            throw Problem(
                description:
                    "\(flag) \(path) holds a secret key but its mode is \(String(mode, radix: 8)): group or others may "
                    + "read it. Run: chmod 600 \(path) (and, if others did read it, make a new pair with `keygen`)")
        }
        guard info.st_uid == geteuid() || info.st_uid == 0 else {
            throw Problem(
                description:
                    "\(flag) \(path) holds a secret key but belongs to another user (uid \(info.st_uid)); "
                    + "run: chown \(geteuid()) \(path)")
        }
    }

    /// A public key given inline (40 characters of Z85) or as a `.pub` file.
    public static func readPublicKey(_ pathOrKey: String, flag: String) throws(Problem) -> String {
        if CurveKeyPair.isValidKey(pathOrKey) { return pathOrKey }
        let key = try read(pathOrKey, flag: flag, limit: maxKeyFileBytes).trimmingWhitespace()
        guard CurveKeyPair.isValidKey(key) else {
            if key.hasPrefix("public ") && key.contains("secret ") {
                throw Problem(description: "\(flag) \(pathOrKey) is a key pair file, with a secret key: give the .pub file")
            }
            throw Problem(description: "\(flag) \(pathOrKey) holds no public key (40 characters of Z85 text)")
        }
        return key
    }

    /// The public keys in an allow-list file: one per line (any line ending), first word (a label may follow);
    /// lines starting with `#` are comments. (Z85 keys may themselves contain `#`, so a comment must start its line.)
    /// A line holding a secret key (`secret KEY`, pasted from a `.key` file) is refused, naming the line.
    ///
    /// - Parameter ownKeys: the reading role's own pair: its secret key on the list is refused too.
    public static func readAllowList(_ path: String, flag: String, ownKeys: CurveKeyPair? = nil) throws(Problem) -> Set<String> {
        var keys: Set<String> = []
        let text = try read(path, flag: flag, limit: maxAllowListBytes)
        for (number, line) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let trimmed = line.trimmingWhitespace()
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let words = trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if words.first == "secret" {
                throw Problem(
                    description:
                        "\(flag) \(path), line \(number + 1) holds a secret key: an allow list takes public keys (the peers' "
                        + ".pub files). Remove the line, and treat that secret key as exposed: make its owner a new pair")
            }
            let key = words.first == "public" && words.count > 1 ? String(words[1]) : String(words[0])
            guard CurveKeyPair.isValidKey(key) else {
                throw Problem(
                    description: "\(flag) \(path), line \(number + 1): \(quoted(key)) is not a public key (40 characters of Z85)")
            }
            if key == ownKeys?.secretKey {
                throw Problem(
                    description:
                        "\(flag) \(path), line \(number + 1) holds this role's own secret key: an allow list takes public keys. "
                        + "Remove the line, and treat the key as exposed: make a new pair with `keygen`")
            }
            keys.insert(key)
        }
        guard !keys.isEmpty else { throw Problem(description: "\(flag) \(path) lists no public key: nobody could connect") }
        return keys
    }

    /// Reads a small text file, refusing one over `limit` bytes before reading it.
    private static func read(_ path: String, flag: String, limit: Int) throws(Problem) -> String {
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            throw Problem(description: "\(flag) \(path): cannot read the file (it must be a regular file)")
        }
        guard info.st_size <= limit else {
            throw Problem(description: "\(flag) \(path) is \(info.st_size) bytes; a key file of this kind is at most \(limit)")
        }
        guard let data = FileManager.default.contents(atPath: path), data.count <= limit,
            let text = String(data: data, encoding: .utf8)
        else {
            throw Problem(description: "\(flag) \(path): cannot read the file as text")
        }
        return text
    }

    /// At most 40 characters of untrusted text, with anything unprintable escaped.
    static func quoted(_ text: String) -> String {
        let shown = text.unicodeScalars.prefix(40).map {
            $0.isASCII && $0.value >= 32 && $0.value < 127 ? String($0) : "\\u{\(String($0.value, radix: 16))}"
        }
        return "'" + shown.joined() + (text.unicodeScalars.count > 40 ? "…" : "") + "'"
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces, tabs and line breaks.
    func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0.isNewline }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
