/// Why a frame could not be decoded or a message could not be built.
public struct WireError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of problem, open to new values.
    public struct Code: RawRepresentable, Hashable, Sendable {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        /// The frame is shorter or longer than its type's layout.
        public static let wrongLength = Code(rawValue: "wrong length")
        /// The first byte is not a protocol version this build speaks.
        public static let unsupportedVersion = Code(rawValue: "unsupported version")
        /// The second byte names no message type.
        public static let unknownType = Code(rawValue: "unknown message type")
        /// A well-formed message of a type this socket does not expect.
        public static let unexpectedType = Code(rawValue: "unexpected message type")
        /// A range whose lower bound is above its upper bound, or that is otherwise impossible.
        public static let invalidRange = Code(rawValue: "invalid range")
        /// A field holds a value its message forbids.
        public static let invalidField = Code(rawValue: "invalid field")
    }

    public let code: Code
    /// What exactly was wrong, naming the field and the value.
    public let detail: String

    public init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    public var description: String { "\(code.rawValue): \(detail)" }
}
