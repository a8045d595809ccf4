/// Writes little-endian fields into a frame of known length, in place.
struct ByteWriter {
    private let base: UnsafeMutableRawPointer
    private(set) var offset = 0

    /// Sizes `buffer` to `length` (reusing its storage when it already has that size), writes the
    /// version and type bytes, then lets `fields` write the rest.
    static func write(
        into buffer: inout [UInt8], length: Int, type: MessageType, _ fields: (inout ByteWriter) -> Void
    ) {
        if buffer.count != length {
            buffer.removeAll(keepingCapacity: true)
            buffer.append(contentsOf: repeatElement(0, count: length))
        }
        buffer.withUnsafeMutableBytes { raw in
            var writer = ByteWriter(base: raw.baseAddress!)
            writer.append(WireVersion.current)
            writer.append(type.rawValue)
            fields(&writer)
            assert(writer.offset == length, "a \(type) wrote \(writer.offset) of its \(length) bytes")
        }
    }

    private init(base: UnsafeMutableRawPointer) {
        self.base = base
    }

    @inline(__always)
    mutating func append<T: FixedWidthInteger>(_ value: T) {
        base.storeBytes(of: value.littleEndian, toByteOffset: offset, as: T.self)
        offset += MemoryLayout<T>.size
    }

    /// A 128-bit value, low 64 bits first.
    @inline(__always)
    mutating func append(_ value: UInt128) {
        append(UInt64(truncatingIfNeeded: value))
        append(UInt64(truncatingIfNeeded: value >> 64))
    }

    /// A signed 128-bit value, two's complement, low 64 bits first.
    @inline(__always)
    mutating func append(_ value: Int128) {
        append(UInt128(bitPattern: value))
    }

    /// A kernel name in its 32-byte field, padded with zeros.
    mutating func append(_ name: KernelName) {
        let bytes = Array(name.rawValue.utf8)
        append(bytes)
        append(Array(repeating: 0, count: KernelName.fieldLength - bytes.count))
    }

    /// A reason: its length u16, then its UTF-8 bytes (see ``ByteReader/readReason(of:allowed:field:)``).
    mutating func appendReason(_ utf8: [UInt8]) {
        append(UInt16(utf8.count))
        append(utf8)
    }

    /// Raw bytes.
    mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { source in
            guard let from = source.baseAddress else { return }
            (base + offset).copyMemory(from: from, byteCount: source.count)
        }
        offset += bytes.count
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

    /// A 128-bit value, low 64 bits first.
    mutating func read(_: UInt128.Type = UInt128.self) -> UInt128 {
        let low: UInt64 = read()
        let high: UInt64 = read()
        return UInt128(high) << 64 | UInt128(low)
    }

    /// A signed 128-bit value, two's complement, low 64 bits first.
    mutating func read(_: Int128.Type = Int128.self) -> Int128 {
        Int128(bitPattern: read(UInt128.self))
    }

    /// A kernel name's 32-byte field.
    mutating func readName() throws(WireError) -> KernelName {
        let field = UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + KernelName.fieldLength])
        offset += KernelName.fieldLength
        return try KernelName(field: field)
    }

    /// `count` raw bytes.
    mutating func readBytes(_ count: Int) -> UnsafeRawBufferPointer {
        defer { offset += count }
        return UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + count])
    }

    /// The text that ends a `type` frame (its reason, or the `field` named): a length u16 within `allowed`, then that
    /// many bytes of UTF-8, and then the frame's end (invalid UTF-8 is refused, so every text has one spelling).
    mutating func readReason(
        of type: MessageType, allowed: ClosedRange<Int>, field: String = "reason"
    ) throws(WireError) -> String {
        let length = Int(read(UInt16.self))
        guard allowed.contains(length) else {
            let range =
                allowed.lowerBound == 0 ? "at most \(allowed.upperBound)" : "\(allowed.lowerBound) to \(allowed.upperBound)"
            throw WireError(.invalidField, "a \(type)'s \(field) is \(range) bytes, not \(length)")
        }
        guard bytes.count == offset + length else {
            throw WireError(
                .wrongLength, "a \(type) with a \(length)-byte \(field) is \(offset + length) bytes, got \(bytes.count)")
        }
        guard let text = String(validating: readBytes(length), as: UTF8.self) else {
            throw WireError(.invalidField, "a \(type)'s \(field) is not valid UTF-8")
        }
        return text
    }
}

/// Checks a frame's version, type and exact length before any field is read.
func checkHeader(_ bytes: UnsafeRawBufferPointer, type: MessageType, length: Int) throws(WireError) {
    try checkType(bytes, type)
    guard bytes.count == length else {
        throw WireError(.wrongLength, "a \(type) is \(length) bytes, got \(bytes.count)")
    }
}

/// Checks a variable-length frame's version, type and fixed header before the header is read.
func checkHeader(_ bytes: UnsafeRawBufferPointer, type: MessageType, minimumLength: Int) throws(WireError) {
    try checkType(bytes, type)
    guard bytes.count >= minimumLength else {
        throw WireError(.wrongLength, "a \(type) has at least \(minimumLength) bytes, got \(bytes.count)")
    }
}

/// Checks that a variable-length frame is exactly as long as its record count says.
func checkLength(_ bytes: UnsafeRawBufferPointer, type: MessageType, expected: Int, records: Int) throws(WireError) {
    guard bytes.count == expected else {
        throw WireError(.wrongLength, "a \(type) of \(records) records is \(expected) bytes, got \(bytes.count)")
    }
}

private func checkType(_ bytes: UnsafeRawBufferPointer, _ type: MessageType) throws(WireError) {
    let kind = try MessageType(peekingAt: bytes)
    guard kind == type else {
        throw WireError(.unexpectedType, "expected a \(type), got a \(kind)")
    }
}

extension MessageType {
    /// Reads the version and type bytes of a frame, rejecting unknown versions and types.
    public init(peekingAt bytes: UnsafeRawBufferPointer) throws(WireError) {
        guard bytes.count >= 2 else {
            throw WireError(.wrongLength, "a frame has at least 2 bytes (version, type), got \(bytes.count)")
        }
        guard bytes[0] == WireVersion.current else {
            throw WireError(
                .unsupportedVersion,
                "protocol version \(bytes[0]), but this build speaks version \(WireVersion.current): "
                    + "the sender runs another release of ScatterGather; run the same release on every host")
        }
        guard let type = MessageType(rawValue: bytes[1]) else {
            throw WireError(.unknownType, "type byte 0x\(String(bytes[1], radix: 16))")
        }
        self = type
    }
}
