package import Wire

/// A job's whole state as the sink holds it, written to the journal in place of the results that built it,
/// so the journal's size follows the job's state (one bit per task), not the number of results.
///
/// Layout (journal record body, little-endian): version u8, type 0x80, the job announcement's 92-byte frame,
/// completed u64, total i128, duplicates u64, rejected u64, elapsed nanoseconds u64, worker count w u32,
/// then w × (worker id u64, tasks u64, elements u128, busy nanoseconds u64), then ceil(task count / 64)
/// words u64 of the done bitset (task i is bit i % 64 of word i / 64), then, when the announcement asks for
/// cross-checks, their state (see ``CrossChecks/encode(into:)``).
package struct JobCheckpoint: Equatable {
    package static let type: UInt8 = 0x80
    package static let fixedLength = 2 + JobAnnouncement.frameLength + 8 + 16 + 8 + 8 + 8 + 4
    package static let workerLength = 40
    /// The most workers one job records: a checkpoint stays well under `Journal.maxRecordBytes`.
    package static let maxWorkers = 1 << 16

    package let announcement: JobAnnouncement
    package let completed: UInt64
    package let total: Int128
    package let duplicates: UInt64
    package let rejected: UInt64
    package let elapsedNanoseconds: UInt64
    package let workers: [WorkerStatistics]
    package let done: TaskBitset
    /// The job's cross-checks, when its announcement asks for them.
    package let checks: CrossChecks?

    package init(
        announcement: JobAnnouncement, completed: UInt64, total: Int128, duplicates: UInt64, rejected: UInt64,
        elapsedNanoseconds: UInt64, workers: [WorkerStatistics], done: TaskBitset, checks: CrossChecks? = nil
    ) {
        self.announcement = announcement
        self.completed = completed
        self.total = total
        self.duplicates = duplicates
        self.rejected = rejected
        self.elapsedNanoseconds = elapsedNanoseconds
        self.workers = workers
        self.done = done
        self.checks =
            announcement.crossChecks.isOn
            ? checks
                ?? CrossChecks(
                    plan: announcement.crossChecks, reduction: announcement.reduction, taskCount: announcement.taskCount) : nil
    }

    package func encode(into buffer: inout [UInt8]) {
        buffer.removeAll(keepingCapacity: true)
        buffer.reserveCapacity(Self.fixedLength + workers.count * Self.workerLength + done.words.count * 8)
        buffer.append(WireVersion.current)
        buffer.append(Self.type)
        buffer.append(contentsOf: announcement.encoded())
        buffer.appendLittleEndian(completed)
        buffer.appendLittleEndian(total)
        buffer.appendLittleEndian(duplicates)
        buffer.appendLittleEndian(rejected)
        buffer.appendLittleEndian(elapsedNanoseconds)
        buffer.appendLittleEndian(UInt32(workers.count))
        for worker in workers {
            buffer.appendLittleEndian(worker.workerID)
            buffer.appendLittleEndian(worker.tasks)
            buffer.appendLittleEndian(worker.elements)
            buffer.appendLittleEndian(worker.busyNanoseconds)
        }
        for word in done.words { buffer.appendLittleEndian(word) }
        checks?.encode(into: &buffer)
    }

    /// Decodes and checks a checkpoint: the announcement as the network decoder checks it and within the
    /// sink's job-size limit, the exact length, and counts that agree with the bitset.
    package init(decoding body: UnsafeRawBufferPointer) throws(JournalCorruption) {
        var reader = LittleEndianReader(body, from: 2)
        guard body.count >= Self.fixedLength, body[0] == WireVersion.current, body[1] == Self.type,
            let frame = reader.slice(JobAnnouncement.frameLength)
        else {
            throw JournalCorruption("a checkpoint of \(body.count) bytes is shorter than its fixed \(Self.fixedLength)")
        }
        let announcement = try JournalCorruption.validated(frame)
        guard let completed = reader.read(UInt64.self), let total = reader.read(Int128.self),
            let duplicates = reader.read(UInt64.self), let rejected = reader.read(UInt64.self),
            let elapsed = reader.read(UInt64.self), let workerCount = reader.read(UInt32.self).map(Int.init)
        else { throw JournalCorruption("a checkpoint's fields are cut short") }
        guard workerCount <= Self.maxWorkers else {
            throw JournalCorruption(
                "a checkpoint of job \(announcement.jobID) lists \(workerCount) workers, at most \(Self.maxWorkers)")
        }
        let wordCount = TaskBitset.wordCount(for: announcement.taskCount)
        let expected = Self.fixedLength + workerCount * Self.workerLength + wordCount * 8
        guard body.count == expected || (announcement.crossChecks.isOn && body.count > expected) else {
            throw JournalCorruption(
                "a checkpoint of job \(announcement.jobID) is \(body.count) bytes; its counts make \(expected)")
        }
        var workers: [WorkerStatistics] = []
        workers.reserveCapacity(workerCount)
        var ids = Set<UInt64>()
        var workerTasks: UInt64 = 0
        for _ in 0..<workerCount {
            guard let id = reader.read(UInt64.self), let tasks = reader.read(UInt64.self),
                let elements = reader.read(UInt128.self), let busy = reader.read(UInt64.self), ids.insert(id).inserted
            else { throw JournalCorruption("a checkpoint of job \(announcement.jobID) lists a worker twice") }
            workers.append(WorkerStatistics(workerID: id, tasks: tasks, elements: elements, busyNanoseconds: busy))
            workerTasks = workerTasks.addingReportingOverflow(tasks).partialValue
        }
        var words: [UInt64] = []
        words.reserveCapacity(wordCount)
        for _ in 0..<wordCount {
            guard let word = reader.read(UInt64.self) else { throw JournalCorruption("a checkpoint's bitset is cut short") }
            words.append(word)
        }
        guard let done = TaskBitset(words: words, count: announcement.taskCount) else {
            throw JournalCorruption("a checkpoint of job \(announcement.jobID) marks tasks beyond its \(announcement.taskCount)")
        }
        let checks =
            announcement.crossChecks.isOn
            ? try CrossChecks(reading: &reader, announcement: announcement, workers: workerCount) : nil
        guard reader.remaining == 0 else {
            throw JournalCorruption("a checkpoint of job \(announcement.jobID) has \(reader.remaining) bytes past its end")
        }
        guard done.count == completed, workerTasks == completed else {
            throw JournalCorruption(
                "a checkpoint of job \(announcement.jobID) says \(completed) tasks are done, but its bitset holds \(done.count) "
                    + "and its workers \(workerTasks)")
        }
        self.init(
            announcement: announcement, completed: completed, total: total, duplicates: duplicates, rejected: rejected,
            elapsedNanoseconds: elapsed, workers: workers, done: done, checks: checks)
    }
}

extension WorkerStatistics {
    package init(workerID: UInt64, tasks: UInt64, elements: UInt128, busyNanoseconds: UInt64) {
        self.init(workerID: workerID)
        self.tasks = tasks
        self.elements = elements
        self.busyNanoseconds = busyNanoseconds
    }
}
