package import Wire

/// Cross-checks in a job's checkpoint, after its done bitset, when the job's announcement asks for them.
///
/// Layout (little-endian): agreed u64, disagreements u64, waived u64, has agreed partial u8, agreed partial i128; per
/// worker of the checkpoint, in its order: flags u8 (1: quarantined, 2: has a partial), partial i128, results u64, run
/// count u32, runs (first u64, end u64), waived count u32, waived task ids ascending as LEB128 gaps; open task count u32, each: task u64, candidate count u8, excluded count u8,
/// candidates (worker id u64, value i128), excluded worker ids u64; quarantine count u32, each: worker id u64, task
/// u64, retracted u64; retraction count u32, each: worker id u64, run count u32, runs (first u64, end u64).
extension CrossChecks {
    package func encode(into buffer: inout [UInt8]) {
        buffer.appendLittleEndian(agreed)
        buffer.appendLittleEndian(disagreements)
        buffer.appendLittleEndian(waived)
        Self.append(agreedPartial, to: &buffer)
        for ledger in ledgers {
            buffer.append((ledger.quarantined ? 1 : 0) | (ledger.hasPartial ? 2 : 0))
            buffer.appendLittleEndian(ledger.hasPartial ? ledger.partial : 0)
            buffer.appendLittleEndian(ledger.results)
            Self.append(ledger.runs, to: &buffer)
            Self.appendAscending(ledger.waived.sorted(), to: &buffer)
        }
        buffer.appendLittleEndian(UInt32(open.count))
        for (task, entry) in open.entries.sorted(by: { $0.task < $1.task }) {
            buffer.appendLittleEndian(task)
            buffer.append(UInt8(entry.candidates.count))
            buffer.append(UInt8(entry.excluded.count))
            for candidate in entry.candidates {
                buffer.appendLittleEndian(candidate.workerID)
                buffer.appendLittleEndian(candidate.value)
            }
            for worker in entry.excluded { buffer.appendLittleEndian(worker) }
        }
        buffer.appendLittleEndian(UInt32(quarantines.count))
        for quarantine in quarantines {
            buffer.appendLittleEndian(quarantine.workerID)
            buffer.appendLittleEndian(quarantine.task)
            buffer.appendLittleEndian(quarantine.retracted)
        }
        buffer.appendLittleEndian(UInt32(retractions.count))
        for retraction in retractions {
            buffer.appendLittleEndian(retraction.workerID)
            Self.append(retraction.runs, to: &buffer)
        }
    }

    /// Reads the section back for a job of `announcement` with `workers` worker slots; every task id is checked
    /// against the job.
    package init(
        reading reader: inout LittleEndianReader, announcement: JobAnnouncement, workers: Int
    ) throws(JournalCorruption) {
        let taskCount = announcement.taskCount
        self.init(plan: announcement.crossChecks, reduction: announcement.reduction, taskCount: taskCount)
        let job = "a checkpoint of job \(announcement.jobID)"
        guard let agreed = reader.read(UInt64.self), let disagreements = reader.read(UInt64.self),
            let waived = reader.read(UInt64.self)
        else { throw JournalCorruption("\(job): its cross-check counts are cut short") }
        self.agreed = agreed
        self.disagreements = disagreements
        self.waived = waived
        agreedPartial = try Self.readPartial(&reader, job)
        for _ in 0..<workers {
            guard let flags = reader.read(UInt8.self), flags < 4, let partial = reader.read(Int128.self),
                let results = reader.read(UInt64.self)
            else { throw JournalCorruption("\(job): a worker's cross-check ledger is cut short or invalid") }
            let runs = try Self.readRuns(&reader, taskCount, job)
            let waived = try Self.readAscending(&reader, below: taskCount, job)
            ledgers.append(
                Ledger(
                    partial: flags & 2 != 0 ? partial : nil, runs: runs, waived: waived, results: results,
                    quarantined: flags & 1 != 0))
        }
        guard let openCount = reader.read(UInt32.self), Int(openCount) <= reader.remaining / 10 else {
            throw JournalCorruption("\(job): its open cross-checks are cut short")
        }
        for _ in 0..<openCount {
            guard let task = reader.read(UInt64.self), task < taskCount, let candidates = reader.read(UInt8.self),
                Int(candidates) <= Self.maxCandidates, let excluded = reader.read(UInt8.self),
                Int(excluded) <= RecomputeRequest.maxExcluded
            else { throw JournalCorruption("\(job): an open cross-check is cut short or invalid") }
            var entry = Open(candidates: [], excluded: [])
            for _ in 0..<candidates {
                guard let worker = reader.read(UInt64.self), let value = reader.read(Int128.self) else {
                    throw JournalCorruption("\(job): an open cross-check's candidates are cut short")
                }
                entry.candidates.append(Candidate(workerID: worker, value: value))
            }
            for _ in 0..<excluded {
                guard let worker = reader.read(UInt64.self) else {
                    throw JournalCorruption("\(job): an open cross-check's excluded workers are cut short")
                }
                entry.excluded.append(worker)
            }
            guard open.updateValue(entry, forKey: task) == nil else {
                throw JournalCorruption("\(job): task \(task) is open twice")
            }
            insertOpenBit(task)
        }
        guard let quarantineCount = reader.read(UInt32.self), Int(quarantineCount) <= reader.remaining / 24 else {
            throw JournalCorruption("\(job): its quarantined workers are cut short")
        }
        for _ in 0..<quarantineCount {
            guard let worker = reader.read(UInt64.self), let task = reader.read(UInt64.self),
                let retracted = reader.read(UInt64.self)
            else { throw JournalCorruption("\(job): a quarantined worker is cut short") }
            quarantines.append(Quarantine(workerID: worker, task: task, retracted: retracted))
        }
        guard let retractionCount = reader.read(UInt32.self), Int(retractionCount) <= reader.remaining / 12 else {
            throw JournalCorruption("\(job): its retracted tasks are cut short")
        }
        for _ in 0..<retractionCount {
            guard let worker = reader.read(UInt64.self) else {
                throw JournalCorruption("\(job): a retraction is cut short")
            }
            retractions.append(Retraction(workerID: worker, runs: try Self.readRuns(&reader, taskCount, job)))
        }
    }

    private static func append(_ partial: Int128?, to buffer: inout [UInt8]) {
        buffer.append(partial == nil ? 0 : 1)
        buffer.appendLittleEndian(partial ?? 0)
    }

    private static func readPartial(_ reader: inout LittleEndianReader, _ job: String) throws(JournalCorruption) -> Int128? {
        guard let flag = reader.read(UInt8.self), flag <= 1, let value = reader.read(Int128.self) else {
            throw JournalCorruption("\(job): its agreed partial is cut short or invalid")
        }
        return flag == 1 ? value : nil
    }

    /// Ascending ids as a count u32, then each id's distance from the one before (from 0 for the first) in LEB128:
    /// a worker's waived checks are about one task in 100, a byte or two each.
    private static func appendAscending(_ ids: [UInt64], to buffer: inout [UInt8]) {
        buffer.appendLittleEndian(UInt32(ids.count))
        var previous: UInt64 = 0
        for id in ids {
            var gap = id - previous
            previous = id
            while gap >= 0x80 {
                buffer.append(UInt8(truncatingIfNeeded: gap) | 0x80)
                gap >>= 7
            }
            buffer.append(UInt8(gap))
        }
    }

    private static func readAscending(
        _ reader: inout LittleEndianReader, below taskCount: UInt64, _ job: String
    ) throws(JournalCorruption) -> [UInt64] {
        guard let count = reader.read(UInt32.self), Int(count) <= reader.remaining else {
            throw JournalCorruption("\(job): a worker's waived checks are cut short")
        }
        var ids: [UInt64] = []
        var previous: UInt64 = 0
        for _ in 0..<count {
            var gap: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                guard let byte = reader.read(UInt8.self), shift < 64 else {
                    throw JournalCorruption("\(job): a waived check's id is cut short or too long")
                }
                gap |= UInt64(byte & 0x7F) << shift
                shift += 7
                if byte & 0x80 == 0 { break }
            }
            let (id, overflow) = previous.addingReportingOverflow(gap)
            guard !overflow, id < taskCount, ids.isEmpty || gap > 0 else {
                throw JournalCorruption("\(job): a waived check is outside the job's \(taskCount) tasks, or twice")
            }
            ids.append(id)
            previous = id
        }
        return ids
    }

    private static func append(_ runs: [Range<UInt64>], to buffer: inout [UInt8]) {
        buffer.appendLittleEndian(UInt32(runs.count))
        for run in runs {
            buffer.appendLittleEndian(run.lowerBound)
            buffer.appendLittleEndian(run.upperBound)
        }
    }

    private static func readRuns(
        _ reader: inout LittleEndianReader, _ taskCount: UInt64, _ job: String
    ) throws(JournalCorruption) -> [Range<UInt64>] {
        guard let count = reader.read(UInt32.self), Int(count) <= reader.remaining / 16 else {
            throw JournalCorruption("\(job): a list of task runs is cut short")
        }
        var runs: [Range<UInt64>] = []
        runs.reserveCapacity(Int(count))
        for _ in 0..<count {
            guard let first = reader.read(UInt64.self), let end = reader.read(UInt64.self), first < end, end <= taskCount
            else { throw JournalCorruption("\(job): a task run is cut short or outside the job's \(taskCount) tasks") }
            runs.append(first..<end)
        }
        return runs
    }

    /// An open check as a checkpoint keeps it.
    private struct KeptCheck: Equatable {
        let candidates: [Candidate]
        let excluded: [UInt64]
    }

    /// The open checks as a checkpoint keeps them: each one's candidates and excluded workers.
    private var keptChecks: [UInt64: KeptCheck] {
        Dictionary(
            uniqueKeysWithValues: open.entries.map { task, entry in
                (task, KeptCheck(candidates: Array(entry.candidates), excluded: Array(entry.excluded)))
            })
    }

    /// Equal in everything a checkpoint keeps (not when requests are next due).
    package static func == (lhs: CrossChecks, rhs: CrossChecks) -> Bool {
        lhs.plan == rhs.plan && lhs.reduction == rhs.reduction && lhs.ledgers == rhs.ledgers
            && lhs.agreedPartial == rhs.agreedPartial && lhs.agreed == rhs.agreed && lhs.disagreements == rhs.disagreements
            && lhs.waived == rhs.waived && lhs.quarantines == rhs.quarantines
            && lhs.keptChecks == rhs.keptChecks
            && lhs.retractions.map(\.workerID) == rhs.retractions.map(\.workerID)
            && lhs.retractions.map(\.runs) == rhs.retractions.map(\.runs)
    }
}
