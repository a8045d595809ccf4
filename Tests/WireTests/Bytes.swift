/// Little-endian bytes built by shifting, independent of the codec under test.
func le<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
    (0..<(T.bitWidth / 8)).map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) }
}

func hex(_ bytes: [UInt8]) -> String {
    bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined(separator: " ")
}

/// A kernel name's 32-byte wire field.
func name(_ text: String) -> [UInt8] {
    Array(text.utf8) + Array(repeating: 0, count: 32 - text.utf8.count)
}
