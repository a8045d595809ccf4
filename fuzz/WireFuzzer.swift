// libFuzzer harness for the wire codec, compiled together with Sources/Wire by scripts/fuzz.
// Property: decoding never crashes, and every frame that decodes re-encodes to the same bytes
// (the layouts are exact, so a decoder that accepts more than one spelling of a message is a bug).

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWire(_ data: UnsafeRawPointer, _ count: Int) -> CInt {
    let frame = UnsafeRawBufferPointer(start: data, count: count)
    guard let message = try? AnyMessage(decoding: frame) else { return 0 }
    let encoded = message.encoded()
    guard encoded.elementsEqual(frame) else {
        fatalError("\(message) decoded from \(count) bytes re-encodes to \(encoded.count) different bytes")
    }
    guard (try? AnyMessage(decoding: encoded)) == message else {
        fatalError("\(message) does not survive a second round trip")
    }
    return 0
}
