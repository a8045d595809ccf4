internal import CZMQ

/// A CurveZMQ key pair, each key as 40 characters of Z85 text.
public struct CurveKeyPair: Hashable, Sendable {
    /// The public key: safe to share; peers list it to admit this party.
    public let publicKey: String
    /// The secret key: keep it in a file only its owner can read.
    public let secretKey: String

    /// Wraps existing keys; fails unless both are 40 characters of valid Z85 text.
    public init(publicKey: String, secretKey: String) throws(ZMQError) {
        guard Self.isValidKey(publicKey), Self.isValidKey(secretKey) else { throw ZMQError.invalidArgument }
        self.publicKey = publicKey
        self.secretKey = secretKey
    }

    /// A new random key pair. The corresponding C function is `zmq_curve_keypair`.
    public static func generate() throws(ZMQError) -> CurveKeyPair {
        var publicKey = [CChar](repeating: 0, count: 41)
        var secretKey = [CChar](repeating: 0, count: 41)
        _ = try valueOrError { zmq_curve_keypair(&publicKey, &secretKey) }
        func text(_ key: [CChar]) -> String {
            String(decoding: key.prefix(40).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        return try CurveKeyPair(publicKey: text(publicKey), secretKey: text(secretKey))
    }

    /// Whether `key` is 40 characters of Z85 text (a 32-byte CurveZMQ key).
    /// The corresponding C function is `zmq_z85_decode`.
    public static func isValidKey(_ key: String) -> Bool {
        guard key.utf8.count == 40 else { return false }
        var decoded = [UInt8](repeating: 0, count: 32)
        return zmq_z85_decode(&decoded, key) != nil
    }

    /// A 32-byte binary key (as ZAP requests carry it) as Z85 text; `nil` unless it is 32 bytes.
    /// The corresponding C function is `zmq_z85_encode`.
    public static func z85(_ key: some Collection<UInt8>) -> String? {
        let bytes = Array(key)
        guard bytes.count == 32 else { return nil }
        var text = [CChar](repeating: 0, count: 41)
        guard zmq_z85_encode(&text, bytes, 32) != nil else { return nil }
        return String(decoding: text.prefix(40).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The public key a secret key makes, or `nil` when `secretKey` is not a key.
    /// The corresponding C function is `zmq_curve_public`.
    public static func publicKey(forSecretKey secretKey: String) -> String? {
        guard isValidKey(secretKey) else { return nil }
        var publicKey = [CChar](repeating: 0, count: 41)
        guard zmq_curve_public(&publicKey, secretKey) == 0 else { return nil }
        return String(decoding: publicKey.prefix(40).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// A short name for a public key, for logs and reports: its first 8 bytes in hexadecimal (16 digits).
    public static func fingerprint(of publicKey: String) -> String {
        var decoded = [UInt8](repeating: 0, count: 32)
        guard publicKey.utf8.count == 40, zmq_z85_decode(&decoded, publicKey) != nil else { return "(not a key)" }
        return decoded.prefix(8).map { $0 < 16 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }

    /// This pair's public key's fingerprint.
    public var fingerprint: String { Self.fingerprint(of: publicKey) }

    /// Whether this libzmq was built with CURVE (libsodium). The corresponding C function is `zmq_has`.
    public static var isSupported: Bool { zmq_has("curve") == 1 }
}
