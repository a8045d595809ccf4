/// The shape three messages share: a fixed header that ends with a record count u16, then that many
/// fixed-size records. One codec reads and writes them all, so a new batch message is a new layout,
/// not a copied decoder: it says how to read and write its header fields and one record.
protocol RecordBatchLayout {
    /// The header's fields after the version and type bytes, before the count.
    associatedtype Header
    associatedtype Record

    static var type: MessageType { get }
    /// Bytes before the first record: version, type, the header's fields and the count.
    static var headerLength: Int { get }
    static var recordLength: Int { get }
    /// The most records one frame may hold.
    static var maxRecords: Int { get }

    static func readHeader(from reader: inout ByteReader) throws(WireError) -> Header
    static func readRecord(from reader: inout ByteReader, header: Header) throws(WireError) -> Record
    static func write(_ header: Header, to writer: inout ByteWriter)
    static func write(_ record: Record, to writer: inout ByteWriter)
}

enum RecordBatchCodec {
    /// Reads a frame of layout `L`: checks version, type and that the length is exactly what the count says,
    /// then each record. The message's own initializer checks what the records must have in common.
    static func decode<L: RecordBatchLayout>(
        _ frame: UnsafeRawBufferPointer, as layout: L.Type
    ) throws(WireError) -> (header: L.Header, records: [L.Record]) {
        var (header, count, reader) = try open(frame, as: layout)
        var records: [L.Record] = []
        records.reserveCapacity(count)
        for _ in 0..<count {
            records.append(try L.readRecord(from: &reader, header: header))
        }
        return (header, records)
    }

    /// Checks a frame of layout `L` (version, type, a length that is exactly what the count says, the most records)
    /// and reads its header: the reader is left at the first of `count` records.
    static func open<L: RecordBatchLayout>(
        _ frame: UnsafeRawBufferPointer, as _: L.Type
    ) throws(WireError) -> (header: L.Header, count: Int, reader: ByteReader) {
        try checkHeader(frame, type: L.type, minimumLength: L.headerLength)
        var reader = ByteReader(frame)
        let header = try L.readHeader(from: &reader)
        let count = Int(reader.read(UInt16.self))
        try checkLength(frame, type: L.type, expected: L.headerLength + count * L.recordLength, records: count)
        guard count <= L.maxRecords else {
            throw WireError(.invalidField, "a \(L.type) holds at most \(L.maxRecords) records, not \(count)")
        }
        return (header, count, reader)
    }

    /// Checks a frame of layout `L` and every one of its 1 or more records (`empty` is the error's text when it has
    /// none), without keeping them: an in-place reader's header, and its records' bytes.
    static func checkRecords<L: RecordBatchLayout>(
        _ frame: UnsafeRawBufferPointer, as layout: L.Type, empty: String
    ) throws(WireError) -> (header: L.Header, records: UnsafeRawBufferPointer) {
        var (header, count, reader) = try open(frame, as: layout)
        guard count > 0 else { throw WireError(.invalidField, empty) }
        for _ in 0..<count { _ = try L.readRecord(from: &reader, header: header) }
        return (header, UnsafeRawBufferPointer(rebasing: frame[L.headerLength...]))
    }

    /// Writes a frame of layout `L` into `buffer`, reusing its storage.
    static func encode<L: RecordBatchLayout>(_ header: L.Header, _ records: [L.Record], as _: L.Type, into buffer: inout [UInt8])
    {
        ByteWriter.write(into: &buffer, length: L.headerLength + records.count * L.recordLength, type: L.type) { writer in
            L.write(header, to: &writer)
            writer.append(UInt16(records.count))
            for record in records { L.write(record, to: &writer) }
        }
    }
}
