/// Worker → ventilator: "send me up to `batches` more task batches", and which kernels the worker runs.
///
/// Workers ask for work instead of having it pushed at them, so a fast worker gets more than a slow one
/// and nobody holds more than a couple of batches. Layout (14 + 32·k bytes): version, type 0x06, batches u16,
/// flags u8 (bit 0: *reset*), worker id u64, kernel count k u8 (1 ... ``maxKernels``), then k kernel names
/// (32 bytes each, no name twice). A plain credit adds to what the worker may still receive; a *reset* credit
/// says the worker holds nothing and has received nothing for a while, so its credit is exactly `batches` and
/// any batch sent to it and not answered is lost.
public struct Credit: WireMessage {
    public static let type = MessageType.credit
    static let headerLength = 14
    /// The most kernels one worker offers.
    public static let maxKernels = 64

    public let batches: UInt16
    public let isReset: Bool
    public let workerID: UInt64
    /// The kernels this worker runs, in the worker's order.
    public let kernels: [KernelName]

    public init(batches: UInt16, isReset: Bool = false, workerID: UInt64, kernels: [KernelName]) throws(WireError) {
        guard batches > 0 || isReset else { throw WireError(.invalidField, "a credit of 0 batches that is not a reset") }
        guard (1...Self.maxKernels).contains(kernels.count) else {
            throw WireError(.invalidField, "a worker offers 1 to \(Self.maxKernels) kernels, not \(kernels.count)")
        }
        guard Set(kernels).count == kernels.count else {
            throw WireError(.invalidField, "a credit names a kernel twice")
        }
        self.batches = batches
        self.isReset = isReset
        self.workerID = workerID
        self.kernels = kernels
    }

    public init(decoding frame: UnsafeRawBufferPointer) throws(WireError) {
        try checkHeader(frame, type: Self.type, minimumLength: Self.headerLength)
        var reader = ByteReader(frame)
        let batches: UInt16 = reader.read()
        let flags: UInt8 = reader.read()
        guard flags & ~1 == 0 else {
            throw WireError(.invalidField, "credit flags 0x\(String(flags, radix: 16)); only bit 0 is defined")
        }
        let workerID: UInt64 = reader.read()
        let count = Int(reader.read(UInt8.self))
        try checkLength(frame, type: Self.type, expected: Self.headerLength + count * KernelName.fieldLength, records: count)
        var kernels: [KernelName] = []
        for _ in 0..<count { kernels.append(try reader.readName()) }
        try self.init(batches: batches, isReset: flags == 1, workerID: workerID, kernels: kernels)
    }

    public func encode(into buffer: inout [UInt8]) {
        let length = Self.headerLength + kernels.count * KernelName.fieldLength
        ByteWriter.write(into: &buffer, length: length, type: Self.type) { writer in
            writer.append(batches)
            writer.append(UInt8(isReset ? 1 : 0))
            writer.append(workerID)
            writer.append(UInt8(kernels.count))
            for kernel in kernels { writer.append(kernel) }
        }
    }
}
