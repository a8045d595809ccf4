import PipelineCore

#if canImport(Glibc)
    import Glibc
#endif

/// Reads a journal file front to back, a record at a time, holding at most one record and one read chunk in
/// memory, and decides where the valid records end.
struct JournalScanner {
    private static let chunk = 1 << 20

    private let descriptor: Int32
    private let path: String
    private let fileSize: Int
    private var buffer: [UInt8] = []
    /// The file offset of `buffer[0]`.
    private var bufferOffset = 0
    /// The file offset of the next unread record.
    private var offset = 0

    init(descriptor: Int32, path: String, fileSize: Int) {
        self.descriptor = descriptor
        self.path = path
        self.fileSize = fileSize
    }

    /// Checks the file's header; leaves the scanner at the first record.
    mutating func checkHeader() throws(PipelineError) {
        let header = try bytes(Journal.headerLength)
        guard let header, Array(header.prefix(Journal.magic.count)) == Journal.magic else {
            throw Journal.failure(
                "\(path) is not a ScatterGather journal (it does not start with the journal header), so it was left "
                    + "untouched: point --journal at a new file, or at a journal a sink wrote")
        }
        let version = header.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: 8, as: UInt32.self)) }
        let stored = header.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: 12, as: UInt32.self)) }
        guard CRC32.checksum(Array(header.prefix(12))) == stored else {
            throw damaged(at: 0, "its header's checksum is wrong")
        }
        guard version == Journal.formatVersion else {
            throw Journal.failure(
                "the journal \(path) has format version \(version); this sink reads version \(Journal.formatVersion). "
                    + "It was left untouched: finish its jobs with the sink that wrote it, or use a new --journal")
        }
        offset = Journal.headerLength
    }

    /// Hands each valid record to `replay`; returns the offset where the valid records end (the file's size,
    /// unless a torn tail follows them).
    mutating func replay(_ replay: (JournalRecord) throws(JournalCorruption) -> Void) throws(PipelineError) -> Int {
        var index = 0
        while offset < fileSize {
            let start = offset
            let remaining = fileSize - start
            // A record has a length, a body of at least a version and a type byte, and a CRC.
            guard remaining >= 10, let prefix = try bytes(4) else { return start }
            let length = Int(prefix.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self)) })
            if length < 2 {
                guard try restIsZero(from: start) else { throw damaged(at: start, "record \(index) declares \(length) bytes") }
                return start
            }
            guard length <= Journal.maxRecordBytes else {
                throw damaged(at: start, "record \(index) declares \(length) bytes, at most \(Journal.maxRecordBytes)")
            }
            guard remaining >= length + 8, let body = try bytes(length), let trailer = try bytes(4) else { return start }
            let stored = trailer.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self)) }
            guard CRC32.checksum(body) == stored else {
                if start + length + 8 == fileSize { return start }  // the last record, cut short by a crash
                throw damaged(at: start, "record \(index)'s checksum is wrong, and records follow it")
            }
            let outcome = body.withUnsafeBytes { raw in
                Result { () throws(JournalCorruption) in try replay(JournalRecord(decoding: raw)) }
            }
            if case .failure(let error) = outcome { throw damaged(at: start, "record \(index): \(error.reason)") }
            index += 1
        }
        return offset
    }

    /// The next `count` bytes, or `nil` at the end of the file.
    private mutating func bytes(_ count: Int) throws(PipelineError) -> ArraySlice<UInt8>? {
        guard fileSize - offset >= count else { return nil }
        var start = offset - bufferOffset
        if buffer.count - start < count {
            buffer.removeFirst(start)
            bufferOffset = offset
            start = 0
            while buffer.count < count {
                let want = max(Self.chunk, count - buffer.count)
                let old = buffer.count
                buffer.append(contentsOf: repeatElement(0, count: want))
                let got = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress.map { $0 + old }, want) }
                if got < 0 && errno == EINTR {
                    buffer.removeLast(want)
                    continue
                }
                guard got >= 0 else { throw Journal.failure("cannot read the journal \(path): \(Journal.systemError())") }
                buffer.removeLast(want - got)
                if got == 0 { return nil }  // shorter than fstat said: someone truncated it meanwhile
            }
        }
        offset += count
        return buffer[start..<(start + count)]
    }

    /// Whether every byte from `start` to the end of the file is zero (a file extended by a crash, not yet written).
    private mutating func restIsZero(from start: Int) throws(PipelineError) -> Bool {
        offset = start
        while offset < fileSize {
            let step = min(Self.chunk, fileSize - offset)
            guard let slice = try bytes(step), slice.allSatisfy({ $0 == 0 }) else { return false }
        }
        return true
    }

    private func damaged(at offset: Int, _ why: String) -> PipelineError {
        Journal.failure(
            "the journal \(path) is damaged at byte \(offset): \(why). Only a torn tail is ever cut off, so it was left "
                + "untouched: keep it for inspection, and start the sink with a new --journal (its jobs must then be run again)")
    }
}
