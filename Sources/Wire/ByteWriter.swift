/// Appends little-endian fields to a byte array.
struct ByteWriter {
    var bytes: [UInt8]

    init(into bytes: consuming [UInt8], capacity: Int) {
        bytes.removeAll(keepingCapacity: true)
        bytes.reserveCapacity(capacity)
        self.bytes = bytes
    }

    init(capacity: Int) {
        self.init(into: [], capacity: capacity)
    }

    mutating func header(_ type: MessageType) {
        bytes.append(WireVersion.current)
        bytes.append(type.rawValue)
    }

    mutating func append<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }
}

/// Reads little-endian fields from a frame whose length has already been checked.
struct ByteReader {
    private let bytes: UnsafeRawBufferPointer
    private var offset = 2  // past version and type

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    mutating func read<T: FixedWidthInteger>(_: T.Type = T.self) -> T {
        let value = bytes.loadUnaligned(fromByteOffset: offset, as: T.self)
        offset += MemoryLayout<T>.size
        return T(littleEndian: value)
    }
}

/// Checks a frame's version, type and length before any field is read.
func checkHeader(
    _ bytes: UnsafeRawBufferPointer, type: MessageType, length: Int
) throws(WireError) {
    let kind = try MessageType(peekingAt: bytes)
    guard kind == type else {
        throw WireError(.unexpectedType, "expected a \(type), got a \(kind)")
    }
    guard bytes.count == length else {
        throw WireError(.wrongLength, "a \(type) is \(length) bytes, got \(bytes.count)")
    }
}

extension MessageType {
    /// Reads the version and type bytes of a frame, rejecting unknown versions and types.
    public init(peekingAt bytes: UnsafeRawBufferPointer) throws(WireError) {
        guard bytes.count >= 2 else {
            throw WireError(.wrongLength, "a frame has at least 2 bytes (version, type), got \(bytes.count)")
        }
        guard bytes[0] == WireVersion.current else {
            throw WireError(.unsupportedVersion, "version \(bytes[0]), this build speaks \(WireVersion.current)")
        }
        let type = MessageType(rawValue: bytes[1])
        guard (MessageType.jobAnnouncement.rawValue...MessageType.jobReport.rawValue).contains(type.rawValue) else {
            throw WireError(.unknownType, "type byte 0x\(String(bytes[1], radix: 16))")
        }
        self = type
    }
}
