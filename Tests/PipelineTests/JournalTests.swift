import Foundation
import Kernels
import TestSupport
import Testing
import Wire

@testable import Pipeline
@testable import PipelineCore

/// The journal file: what is replayed, what is cut, and what is refused and left untouched.
@Suite final class JournalTests {
    let folder: String

    init() throws {
        folder =
            FileManager.default.temporaryDirectory.appendingPathComponent("journal-tests-\(UInt64.random(in: 0...UInt64.max))")
            .path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: folder)
    }

    func path(_ name: String = "sink.journal") -> String { folder + "/" + name }

    func bytes(of path: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) }

    func write(_ bytes: [UInt8], to path: String) throws { try Data(bytes).write(to: URL(fileURLWithPath: path)) }

    /// A record as the journal frames it.
    func record(_ entry: JournalRecord) -> [UInt8] {
        var body: [UInt8] = []
        entry.encode(into: &body)
        var framed: [UInt8] = []
        Journal.frame(body, into: &framed)
        return framed
    }

    func replay(_ path: String) throws(PipelineError) -> (jobs: JournalReplay, torn: Int) {
        var jobs = JournalReplay()
        let (_, torn) = try Journal.open(path: path) { (record) throws(JournalCorruption) in try jobs.apply(record, now: .now) }
        jobs.finish()
        return (jobs, torn)
    }

    func results(_ tasks: some Sequence<UInt64>, job: UInt64 = 7) throws -> JournalRecord {
        .results(try ResultBatch(tasks.map { try SampleJob.result($0, job: job) }))
    }

    /// A journal holding job 7 (100 tasks) with tasks 0..<10 and 20..<30 done.
    func sampleJournal() throws -> [UInt8] {
        try Journal.header() + record(.job(SampleJob.announcement(tasks: 100))) + record(results(0..<10))
            + record(results(20..<30))
    }

    /// Expects opening `path` to fail naming `words`, and the file to be exactly as it was.
    func expectRefused(_ path: String, saying words: String) throws {
        let before = try bytes(of: path)
        #expect {
            _ = try replay(path)
        } throws: { error in
            "\(error)".contains(words)
        }
        #expect(try bytes(of: path) == before)
    }

    @Test func crcIsZlibs() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum([]) == 0)
        let long = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        var byteWise: UInt32 = 0xFFFF_FFFF
        for byte in long {
            byteWise ^= UInt32(byte)
            for _ in 0..<8 { byteWise = byteWise & 1 == 1 ? 0xEDB8_8320 ^ (byteWise >> 1) : byteWise >> 1 }
        }
        #expect(CRC32.checksum(long) == ~byteWise)
    }

    @Test func aNewJournalRecordsJobsAndResultsAndReplaysThem() throws {
        var jobs = JournalReplay()
        do {
            let (journal, torn) = try Journal.open(path: path()) { (record) throws(JournalCorruption) in
                try jobs.apply(record, now: .now)
            }
            #expect(torn == 0)
            try journal.append(.job(SampleJob.announcement(tasks: 100)))
            try journal.append(results(0..<50))
        }
        #expect(try bytes(of: path()).prefix(8) == ArraySlice("SGJOURNL".utf8))
        let (replayed, _) = try replay(path())
        #expect(replayed.active[7]?.completed == 50)
        #expect(replayed.replayedResults == 50)
    }

    @Test func aRecordCutShortAtTheTailIsCutOff() throws {
        let intact = try sampleJournal()
        let torn = Array(record(try results(40..<45)).prefix(37))
        try write(intact + torn, to: path())
        let (jobs, cut) = try replay(path())
        #expect(cut == 37)
        #expect(jobs.active[7]?.completed == 20)
        #expect(try bytes(of: path()) == intact)
    }

    @Test func aLastRecordWithABadChecksumIsCutOff() throws {
        let intact = try sampleJournal()
        var last = record(try results(40..<45))
        last[last.count - 1] ^= 0xFF
        try write(intact + last, to: path())
        let (jobs, cut) = try replay(path())
        #expect(cut == last.count)
        #expect(jobs.active[7]?.completed == 20)
    }

    @Test func zerosAfterTheLastRecordAreCutOff() throws {
        let intact = try sampleJournal()
        try write(intact + [UInt8](repeating: 0, count: 4096), to: path())
        let (_, cut) = try replay(path())
        #expect(cut == 4096)
        #expect(try bytes(of: path()) == intact)
    }

    @Test func damageBeforeValidRecordsIsRefusedAndLeftUntouched() throws {
        var file = try sampleJournal()
        file[Journal.headerLength + 20] ^= 0x01  // inside the first record
        try write(file, to: path())
        try expectRefused(path(), saying: "damaged at byte 16")
    }

    @Test func aFileThatIsNotAJournalIsRefusedAndLeftUntouched() throws {
        let text = Array(String(repeating: "echo            7/tcp\n", count: 600).utf8)
        try write(text, to: path())
        try expectRefused(path(), saying: "is not a ScatterGather journal")
        try write(Array("SGJ".utf8), to: path("short"))
        try expectRefused(path("short"), saying: "is not a ScatterGather journal")
    }

    @Test func aJournalOfAnotherFormatVersionIsRefused() throws {
        var header = Journal.magic
        header.appendLittleEndian(UInt32(1))  // an older release's journal
        header.appendLittleEndian(CRC32.checksum(header))
        try write(header, to: path())
        try expectRefused(path(), saying: "format version 1")
    }

    @Test(arguments: [
        (first: UInt64(1), last: UInt64(1) << 40, chunk: UInt64(1)),  // 2^40 tasks: would allocate 128 GiB
        (first: 0, last: UInt64.max - 1, chunk: 1),  // 2^64 - 1 tasks
        (first: 1, last: (UInt64(1) << 28) + 1, chunk: 1),  // one over the network's limit
    ])
    func jobsOverTheSinksLimitAreRefusedAsTheNetworkRefusesThem(first: UInt64, last: UInt64, chunk: UInt64) throws {
        let job = try JobAnnouncement(jobID: 9, kernel: try KernelName("sum"), first: first, last: last, chunk: chunk)
        try write(Journal.header() + record(.job(job)), to: path())
        try expectRefused(path(), saying: "over the sink's limit")
    }

    @Test func onlyRegularFilesAreOpened() throws {
        try expectRefusal(folder, saying: "is not a regular file")
        try expectRefusal("/dev/zero", saying: "is not a regular file")
        let fifo = path("fifo")
        #expect(mkfifo(fifo, 0o600) == 0)
        try expectRefusal(fifo, saying: "is not a regular file")
    }

    func expectRefusal(_ path: String, saying words: String) throws {
        #expect {
            _ = try replay(path)
        } throws: { error in
            "\(error)".contains(words)
        }
    }

    @Test func aSecondSinkCannotOpenAJournalInUse() throws {
        let first = try Journal.open(path: path()) { _ in }
        try expectRefusal(path(), saying: "another sink is using the journal")
        _ = first
    }

    @Test func anEmptyFileBecomesAJournal() throws {
        try write([], to: path())
        _ = try replay(path())
        #expect(try bytes(of: path()) == Journal.header())
    }

    @Test func endedJobsStayEnded() throws {
        let report = try JobReport(
            jobID: 7, outcome: .failed, total: 0, completed: 20, duplicates: 0, rejected: 0, elapsedNanoseconds: 1)
        try write(try sampleJournal() + record(.ended(report)) + record(results(50..<60)), to: path())
        let (jobs, _) = try replay(path())
        #expect(jobs.active.isEmpty)
        #expect(jobs.ended[7] == report)
    }

    /// A rewrite keeps the state and drops the history: the file shrinks to a checkpoint and replays the same.
    @Test func aRewriteKeepsEveryJobsStateInAFileOfThatSize() throws {
        var jobs = JournalReplay()
        let (journal, _) = try Journal.open(path: path()) { (record) throws(JournalCorruption) in
            try jobs.apply(record, now: .now)
        }
        let announcement = try SampleJob.announcement(tasks: 100_000)
        try journal.append(.job(announcement))
        let job = JobProgress(announcement, now: .now)
        for start in stride(from: UInt64(0), to: 60_000, by: 1000) {
            let batch = try results(start..<(start + 1000))
            try journal.append(batch)
            if case .results(let results) = batch { for result in results.results { _ = job.accept(result) } }
        }
        #expect(journal.size > 2_000_000)
        let report = try JobReport(
            jobID: 3, outcome: .verified, total: 1, completed: 1, duplicates: 0, rejected: 0, elapsedNanoseconds: 1)
        try journal.rewrite([.ended(report), .checkpoint(job.checkpoint(now: .now))])
        #expect(journal.size < 20_000)
        #expect(!FileManager.default.fileExists(atPath: path() + ".rewrite"))
        try journal.append(results(70_000..<70_010))
        let size = journal.size
        _ = consume journal
        #expect(try bytes(of: path()).count == size)
        let (replayed, _) = try replay(path())
        #expect(replayed.active[7]?.completed == 60_010)
        #expect(replayed.active[7]?.total == job.total + (70_001...70_010).reduce(0, +))
        #expect(replayed.ended[3] == report)
    }

    @Test func aCheckpointWhoseCountsDisagreeWithItsBitsIsRefused() throws {
        let job = JobProgress(try SampleJob.announcement(tasks: 100), now: .now)
        _ = job.accept(try SampleJob.result(5))
        var body: [UInt8] = []
        job.checkpoint(now: .now).encode(into: &body)
        body[2 + JobAnnouncement.frameLength] = 2  // completed: 2, but one bit is set
        var framed: [UInt8] = []
        Journal.frame(body, into: &framed)
        try write(Journal.header() + framed, to: path())
        try expectRefused(path(), saying: "says 2 tasks are done")
    }
}
