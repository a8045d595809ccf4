/// The name of a kernel, as a job names it and a worker offers it: `sum`, `primes`, `mc-pi`.
///
/// 1 to 32 bytes of `a`–`z`, `0`–`9`, `-`, `_` and `.`, starting with a letter or digit. On the wire it fills a
/// 32-byte field: the name's bytes, then zero bytes (so every name has exactly one spelling).
public struct KernelName: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The bytes a name takes on the wire, padded with zeros.
    public static let fieldLength = 32

    public let rawValue: String

    /// A name; fails with a message saying what a name may hold.
    public init(_ name: String) throws(WireError) {
        let bytes = Array(name.utf8)
        guard (1...Self.fieldLength).contains(bytes.count), Self.isNameStart(bytes[0]),
            bytes.allSatisfy(Self.isNameByte)
        else {
            throw WireError(.invalidField, "kernel name \(Self.quoted(bytes)): \(Self.rule)")
        }
        rawValue = name
    }

    /// What a kernel name may hold, for error messages.
    public static let rule = "a kernel name is 1 to 32 characters of a-z, 0-9, '-', '_' and '.', starting with a letter or digit"

    public var description: String { rawValue }

    public static func < (lhs: KernelName, rhs: KernelName) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Reads a 32-byte name field: the name, then only zeros.
    init(field bytes: UnsafeRawBufferPointer) throws(WireError) {
        let length = bytes.firstIndex(of: 0) ?? bytes.count
        guard bytes[length...].allSatisfy({ $0 == 0 }) else {
            throw WireError(.invalidField, "kernel name field: bytes after the name's end (a zero byte) must all be zero")
        }
        try self.init(String(decoding: bytes[..<length], as: UTF8.self))
    }

    private static func isNameStart(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        isNameStart(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".")
    }

    /// A short, printable rendering of untrusted bytes.
    private static func quoted(_ bytes: [UInt8]) -> String {
        let shown = bytes.prefix(40).map { (32...126).contains($0) ? String(UnicodeScalar($0)) : "\\x" + hex2($0) }.joined()
        return "'" + shown + (bytes.count > 40 ? "…" : "") + "'"
    }

    private static func hex2(_ byte: UInt8) -> String {
        let digits = String(byte, radix: 16)
        return digits.count == 1 ? "0" + digits : digits
    }
}

/// How a job's partial values combine into its total.
public enum Reduction: UInt8, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// The sum of every task's value; exceeding the signed 128-bit range is an error, never a wrapped total.
    case sum = 0
    /// The smallest task value.
    case min = 1
    /// The largest task value.
    case max = 2

    /// The name users type (`--reduce max`).
    public var description: String {
        switch self {
        case .sum: "sum"
        case .min: "min"
        case .max: "max"
        }
    }

    /// The reduction a user named, or `nil`.
    public init?(named name: String) {
        guard let match = Self.allCases.first(where: { $0.description == name }) else { return nil }
        self = match
    }
}
