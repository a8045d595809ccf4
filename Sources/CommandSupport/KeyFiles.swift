import FoundationEssentials
public import ZeroMQ

/// CurveZMQ key files: `NAME.key` holds a pair and is readable by its owner only; `NAME.pub` holds the public
/// key, to give to peers. An allow list is a file of public keys, one per line (`#` starts a comment).
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

    /// Reads a pair written by ``write(_:name:in:)``.
    public static func readPair(_ path: String, flag: String) throws(Problem) -> CurveKeyPair {
        let text = try read(path, flag: flag)
        var fields: [String: String] = [:]
        for line in text.split(separator: "\n") {
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
        return pair
    }

    /// A public key given inline (40 characters of Z85) or as a `.pub` file.
    public static func readPublicKey(_ pathOrKey: String, flag: String) throws(Problem) -> String {
        if CurveKeyPair.isValidKey(pathOrKey) { return pathOrKey }
        let key = try read(pathOrKey, flag: flag).trimmingWhitespace()
        guard CurveKeyPair.isValidKey(key) else {
            throw Problem(description: "\(flag) \(pathOrKey) holds no public key (40 characters of Z85 text)")
        }
        return key
    }

    /// The public keys in an allow-list file: one per line, first word (a label may follow); lines starting with
    /// `#` are comments. (Z85 keys may themselves contain `#`, so a comment must start its line.)
    public static func readAllowList(_ path: String, flag: String) throws(Problem) -> Set<String> {
        var keys: Set<String> = []
        for (number, line) in try read(path, flag: flag).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingWhitespace()
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let key = String(trimmed.split(separator: " ", maxSplits: 1)[0])
            guard CurveKeyPair.isValidKey(key) else {
                throw Problem(
                    description: "\(flag) \(path), line \(number + 1): '\(key)' is not a public key (40 characters of Z85)")
            }
            keys.insert(key)
        }
        guard !keys.isEmpty else { throw Problem(description: "\(flag) \(path) lists no public key: nobody could connect") }
        return keys
    }

    private static func read(_ path: String, flag: String) throws(Problem) -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw Problem(description: "\(flag) \(path): cannot read the file")
        }
        return text
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
