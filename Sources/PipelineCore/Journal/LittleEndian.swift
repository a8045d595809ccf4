extension Array where Element == UInt8 {
    /// Appends `value` in little-endian byte order.
    package mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }

    /// Appends a 128-bit value, low 64 bits first (as the wire does).
    package mutating func appendLittleEndian(_ value: UInt128) {
        appendLittleEndian(UInt64(truncatingIfNeeded: value))
        appendLittleEndian(UInt64(truncatingIfNeeded: value >> 64))
    }

    /// Appends a signed 128-bit value, two's complement, low 64 bits first.
    package mutating func appendLittleEndian(_ value: Int128) {
        appendLittleEndian(UInt128(bitPattern: value))
    }
}

/// Reads little-endian fields in order, returning `nil` instead of reading past the end.
package struct LittleEndianReader {
    private let bytes: UnsafeRawBufferPointer
    package private(set) var offset: Int

    package init(_ bytes: UnsafeRawBufferPointer, from offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    package var remaining: Int { bytes.count - offset }

    package mutating func read<T: FixedWidthInteger>(_: T.Type = T.self) -> T? {
        guard remaining >= MemoryLayout<T>.size else { return nil }
        defer { offset += MemoryLayout<T>.size }
        return T(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: T.self))
    }

    package mutating func read(_: UInt128.Type = UInt128.self) -> UInt128? {
        guard let low = read(UInt64.self), let high = read(UInt64.self) else { return nil }
        return UInt128(high) << 64 | UInt128(low)
    }

    package mutating func read(_: Int128.Type = Int128.self) -> Int128? {
        read(UInt128.self).map { Int128(bitPattern: $0) }
    }

    /// The next `count` bytes, or `nil` when fewer remain.
    package mutating func slice(_ count: Int) -> UnsafeRawBufferPointer? {
        guard count >= 0, remaining >= count else { return nil }
        defer { offset += count }
        return UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)])
    }
}
