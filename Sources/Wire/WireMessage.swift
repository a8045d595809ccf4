/// A message with a fixed binary layout: version byte, type byte, then little-endian fields.
public protocol WireMessage: Sendable, Hashable {
    /// The type byte that starts this message's frames.
    static var type: MessageType { get }
    /// Decodes a frame, rejecting any that is not exactly this message, valid in every field.
    init(decoding frame: UnsafeRawBufferPointer) throws(WireError)
    /// Replaces `buffer`'s contents with this message's frame, reusing its storage.
    func encode(into buffer: inout [UInt8])
}

extension WireMessage {
    /// Decodes a frame held in an array.
    public init(decoding frame: [UInt8]) throws(WireError) {
        self = try frame.withUnsafeBytes { bytes in Result { () throws(WireError) in try Self(decoding: bytes) } }.get()
    }

    /// This message's frame.
    public func encoded() -> [UInt8] {
        var buffer: [UInt8] = []
        encode(into: &buffer)
        return buffer
    }
}
