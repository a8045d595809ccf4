import Wire

#if canImport(Glibc)
    import Glibc
#endif

/// An append-only file of the sink's accepted work, so a sink restarted after a crash resumes its jobs:
/// nothing it aggregated is lost, nothing is counted twice.
///
/// Each record is `length u32 LE, frame, CRC-32 of the frame u32 LE`, where the frame is a protocol message:
/// a job announcement when the sink takes a job, a result batch of the results it accepted. Records are
/// written with one `write(2)` each, before the results are acknowledged, so they survive a crash of the
/// sink process (not of the machine: there is no fsync). On opening, a torn or corrupt tail (a crash in the
/// middle of a write) is detected by length and CRC, reported, and cut off.
final class Journal {
    let path: String
    private let descriptor: Int32
    private var buffer: [UInt8] = []

    /// Opens (creating if needed) the journal and returns it with every intact record, in order.
    static func open(path: String) throws(PipelineError) -> (journal: Journal, records: [AnyMessage], tornBytes: Int) {
        let fd = Glibc.open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw PipelineError(.journal, "cannot open the journal \(path): \(String(cString: strerror(errno))); check --journal")
        }
        var contents: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            contents.append(contentsOf: chunk[0..<count])
        }
        var records: [AnyMessage] = []
        var offset = 0
        while let (message, next) = record(in: contents, at: offset) {
            records.append(message)
            offset = next
        }
        let torn = contents.count - offset
        if torn > 0 { _ = ftruncate(fd, off_t(offset)) }
        _ = lseek(fd, 0, SEEK_END)
        return (Journal(path: path, descriptor: fd), records, torn)
    }

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
    }

    /// Appends one message as a record.
    func append(_ message: some WireMessage) throws(PipelineError) {
        message.encode(into: &buffer)
        let checksum = crc32(buffer)
        var record: [UInt8] = []
        record.reserveCapacity(buffer.count + 8)
        withUnsafeBytes(of: UInt32(buffer.count).littleEndian) { record.append(contentsOf: $0) }
        record.append(contentsOf: buffer)
        withUnsafeBytes(of: checksum.littleEndian) { record.append(contentsOf: $0) }
        var written = 0
        while written < record.count {
            let count = record.withUnsafeBytes { write(descriptor, $0.baseAddress! + written, $0.count - written) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else {
                throw PipelineError(.journal, "cannot write the journal \(path): \(String(cString: strerror(errno)))")
            }
            written += count
        }
    }

    /// The record at `offset` and the offset after it, or `nil` at the end or at a torn or corrupt record.
    private static func record(in bytes: [UInt8], at offset: Int) -> (AnyMessage, Int)? {
        guard bytes.count - offset >= 8 else { return nil }
        let length = Int(UInt32(littleEndian: bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: UInt32.self) }))
        guard length <= JobLimits.maxFrameBytes, bytes.count - offset - 8 >= length else { return nil }
        let frame = Array(bytes[(offset + 4)..<(offset + 4 + length)])
        let stored = UInt32(littleEndian: bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset + 4 + length, as: UInt32.self) })
        guard crc32(frame) == stored, let message = try? AnyMessage(decoding: frame) else { return nil }
        return (message, offset + 8 + length)
    }
}

/// CRC-32 (IEEE 802.3, as zlib computes it).
func crc32(_ bytes: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
        crc = crc32Table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
    }
    return crc ^ 0xFFFF_FFFF
}

private let crc32Table: [UInt32] = (0..<256).map { index in
    var value = UInt32(index)
    for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
    return value
}
