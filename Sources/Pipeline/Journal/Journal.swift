import PipelineCore

#if canImport(Glibc)
    import Glibc
#endif

/// The sink's journal: a file of the work it accepted, so a sink restarted after a crash or a stop resumes
/// its jobs: nothing it aggregated is lost, nothing is counted twice.
///
/// The file starts with a 16-byte header (`SGJOURNL`, format version u32 LE, CRC-32 of those 12 bytes u32 LE),
/// then records `length u32 LE · body · CRC-32(body) u32 LE` (see `JournalRecord`). Records are appended with
/// one `write(2)` each, before the results they hold are acknowledged, so they survive a crash of the process;
/// with `syncEveryAppend` each is also fsynced, so they survive a crash of the machine. When the file has grown
/// well past the jobs' state, ``rewrite(_:)`` replaces it with one checkpoint per job, atomically.
///
/// Only a regular file that starts with the header is ever opened; only a torn tail (a record cut short, or a
/// last record whose CRC fails, or zeros, after valid records) is ever cut off. Anything else is refused and
/// left as it is.
final class Journal {
    static let magic = Array("SGJOURNL".utf8)
    static let formatVersion: UInt32 = 3
    static let headerLength = 16
    /// The largest record: a checkpoint of a job at the task limit (32 MiB of bits) with room for its workers.
    static let maxRecordBytes = 40 << 20
    /// The file is rewritten once it exceeds both four times and 6 MiB more than its size after the last rewrite.
    static let slack = 6 << 20

    let path: String
    let syncEveryAppend: Bool
    private var descriptor: Int32
    /// Bytes in the file.
    private(set) var size: Int
    /// Bytes in the file just after it was last rewritten (a header's worth before the first rewrite).
    private var baseSize: Int
    private var body: [UInt8] = []
    private var record: [UInt8] = []

    private init(path: String, descriptor: Int32, size: Int, syncEveryAppend: Bool) {
        self.path = path
        self.descriptor = descriptor
        self.size = size
        // Not the size found: a replayed file may hold far more than its jobs' state, and should be
        // rewritten as soon as it has outgrown an empty one.
        baseSize = Self.headerLength
        self.syncEveryAppend = syncEveryAppend
    }

    deinit {
        close(descriptor)
    }

    /// Opens the journal at `path`, creating it when there is no file there, and hands every intact record to
    /// `replay` in order.
    ///
    /// - Returns: the journal, ready for appends, and how many bytes of torn tail were cut off.
    /// - Throws: when the file is not a regular file, not a journal, held by another sink, or damaged anywhere
    ///   but at its tail, or when `replay` rejects a record; the file is then left untouched.
    static func open(
        path: String, syncEveryAppend: Bool = false, replay: (JournalRecord) throws(JournalCorruption) -> Void
    ) throws(PipelineError) -> (journal: Journal, tornBytes: Int) {
        var status = stat()
        guard stat(path, &status) == 0 else {
            guard errno == ENOENT else { throw failure("cannot read the journal \(path): \(systemError())") }
            return (try create(path: path, syncEveryAppend: syncEveryAppend), 0)
        }
        guard status.st_mode & S_IFMT == S_IFREG else {
            throw failure(
                "\(path) is not a regular file (a directory, device, FIFO or socket); --journal takes a file that only the "
                    + "sink writes, e.g. /var/lib/scattergather/sink.journal")
        }
        let fd = Glibc.open(path, O_RDWR | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { throw failure("cannot open the journal \(path): \(systemError()); check --journal") }
        var opened = false
        defer { if !opened { close(fd) } }
        try lock(fd, path: path)
        guard fstat(fd, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
            throw failure("\(path) changed while it was opened, and is not a regular file now; check --journal")
        }
        let journal: Journal
        if status.st_size == 0 {
            try writeAll(header(), to: fd, path: path)
            journal = Journal(path: path, descriptor: fd, size: headerLength, syncEveryAppend: syncEveryAppend)
            opened = true
            return (journal, 0)
        }
        let fileSize = Int(status.st_size)
        var scanner = JournalScanner(descriptor: fd, path: path, fileSize: fileSize)
        try scanner.checkHeader()
        let end = try scanner.replay(replay)
        if end < fileSize {
            guard ftruncate(fd, off_t(end)) == 0 else {
                throw failure("cannot cut the torn tail off the journal \(path): \(systemError())")
            }
        }
        guard lseek(fd, 0, SEEK_END) >= 0 else { throw failure("cannot seek in the journal \(path): \(systemError())") }
        journal = Journal(path: path, descriptor: fd, size: end, syncEveryAppend: syncEveryAppend)
        opened = true
        return (journal, fileSize - end)
    }

    private static func create(path: String, syncEveryAppend: Bool) throws(PipelineError) -> Journal {
        let fd = Glibc.open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw failure("cannot create the journal \(path): \(systemError()); check --journal") }
        do throws(PipelineError) {
            try lock(fd, path: path)
            try writeAll(header(), to: fd, path: path)
            try synchronise(fd, path: path)
            try synchroniseDirectory(of: path)
        } catch {
            close(fd)
            throw error
        }
        return Journal(path: path, descriptor: fd, size: headerLength, syncEveryAppend: syncEveryAppend)
    }

    /// Appends one record; with `syncEveryAppend`, returns only once it is on disk.
    func append(_ entry: JournalRecord) throws(PipelineError) {
        entry.encode(into: &body)
        Self.frame(body, into: &record)
        try Self.writeAll(record, to: descriptor, path: path)
        size += record.count
        if syncEveryAppend { try Self.synchronise(descriptor, path: path) }
    }

    /// Makes everything appended so far durable (`fdatasync`).
    func sync() throws(PipelineError) {
        try Self.synchronise(descriptor, path: path)
    }

    /// Whether the file has grown enough past the state it holds to be worth a ``rewrite(_:)``.
    var needsRewrite: Bool {
        size >= max(baseSize * 4, baseSize + Self.slack)
    }

    /// Replaces the journal with `entries` (a checkpoint per job in progress, a report per ended job): writes
    /// them to a new file, fsyncs it, renames it over the journal, and fsyncs the directory, so a crash at any
    /// moment leaves either the old journal or the new one whole.
    func rewrite(_ entries: [JournalRecord]) throws(PipelineError) {
        let temporary = path + ".rewrite"
        let fd = Glibc.open(temporary, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Self.failure("cannot write the journal's new copy \(temporary): \(Self.systemError())") }
        var written = Self.header()
        for entry in entries {
            entry.encode(into: &body)
            Self.frame(body, into: &record)
            written += record
        }
        do throws(PipelineError) {
            try Self.lock(fd, path: temporary)
            try Self.writeAll(written, to: fd, path: temporary)
            try Self.synchronise(fd, path: temporary)
            guard rename(temporary, path) == 0 else {
                throw Self.failure("cannot rename \(temporary) to \(path): \(Self.systemError())")
            }
            try Self.synchroniseDirectory(of: path)
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
        close(descriptor)
        descriptor = fd
        size = written.count
        baseSize = written.count
    }

    /// `length u32 LE · body · CRC-32(body) u32 LE`.
    static func frame(_ body: [UInt8], into record: inout [UInt8]) {
        record.removeAll(keepingCapacity: true)
        record.appendLittleEndian(UInt32(body.count))
        record.append(contentsOf: body)
        record.appendLittleEndian(CRC32.checksum(body))
    }

    static func header() -> [UInt8] {
        var header = magic
        header.appendLittleEndian(formatVersion)
        header.appendLittleEndian(CRC32.checksum(header))
        return header
    }

    private static func lock(_ fd: Int32, path: String) throws(PipelineError) {
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            throw failure(
                errno == EWOULDBLOCK
                    ? "another sink is using the journal \(path); give each sink a journal of its own"
                    : "cannot lock the journal \(path): \(systemError())")
        }
    }

    static func writeAll(_ bytes: [UInt8], to fd: Int32, path: String) throws(PipelineError) {
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { write(fd, $0.baseAddress.map { $0 + written }, $0.count - written) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { throw failure("cannot write the journal \(path): \(systemError())") }
            written += count
        }
    }

    private static func synchronise(_ fd: Int32, path: String) throws(PipelineError) {
        while fdatasync(fd) != 0 {
            guard errno == EINTR else { throw failure("cannot sync the journal \(path) to disk: \(systemError())") }
        }
    }

    private static func synchroniseDirectory(of path: String) throws(PipelineError) {
        let directory = path.lastIndex(of: "/").map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        let fd = Glibc.open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw failure("cannot open the journal's folder \(directory): \(systemError())") }
        defer { close(fd) }
        while fsync(fd) != 0 {
            guard errno == EINTR else { throw failure("cannot sync the journal's folder \(directory): \(systemError())") }
        }
    }

    static func failure(_ message: String) -> PipelineError {
        PipelineError(.journal, message)
    }

    static func systemError() -> String {
        String(cString: strerror(errno))
    }
}
