/// Worker → ventilator: "send me up to `batches` more task batches".
///
/// Workers ask for work instead of having it pushed at them, so a fast worker gets more than a slow one
/// and nobody holds more than a couple of batches. Layout (13 bytes): version, type 0x06, batches u16,
/// flags u8 (bit 0: *reset*), worker id u64. A plain credit adds to what the worker may still receive; a
/// *reset* credit says the worker holds nothing and has received nothing for a while, so its credit is
/// exactly `batches` and any batch sent to it and not answered is lost.
public struct Credit: WireMessage {
    public static let type = MessageType.credit
    static let length = 13

    public let batches: UInt16
    public let isReset: Bool
    public let workerID: UInt64

    public init(batches: UInt16, isReset: Bool = false, workerID: UInt64) throws(WireError) {
        guard batches > 0 || isReset else { throw WireError(.invalidField, "a credit of 0 batches that is not a reset") }
        self.batches = batches
        self.isReset = isReset
        self.workerID = workerID
    }

    public init(decoding frame: UnsafeRawBufferPointer) throws(WireError) {
        try checkHeader(frame, type: Self.type, length: Self.length)
        var reader = ByteReader(frame)
        let batches: UInt16 = reader.read()
        let flags: UInt8 = reader.read()
        guard flags & ~1 == 0 else {
            throw WireError(.invalidField, "credit flags 0x\(String(flags, radix: 16)); only bit 0 is defined")
        }
        try self.init(batches: batches, isReset: flags == 1, workerID: reader.read())
    }

    public func encode(into buffer: inout [UInt8]) {
        ByteWriter.write(into: &buffer, length: Self.length, type: Self.type) { writer in
            writer.append(batches)
            writer.append(UInt8(isReset ? 1 : 0))
            writer.append(workerID)
        }
    }
}
