import Foundation
import TestSupport
import Testing
import Wire

@testable import Pipeline
@testable import PipelineCore

/// Keeps topology.md's journal section honest: its examples are what the sink writes and reads.
@Suite struct JournalExampleTests {
    static func examples() throws -> [[UInt8]] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("topology.md"), encoding: .utf8)
        return try text.components(separatedBy: "```journal-hex\n").dropFirst().map { block in
            try block.components(separatedBy: "```")[0].split(whereSeparator: \.isWhitespace).map {
                try #require(UInt8($0, radix: 16))
            }
        }
    }

    @Test func theHeaderIsTheOneTheSinkWrites() throws {
        let examples = try Self.examples()
        #expect(examples.count == 2)
        #expect(examples.first == Journal.header())
    }

    @Test func theCheckpointExampleSaysWhatTheTextSays() throws {
        let record = try #require(try Self.examples().last)
        let length = Int(record[0]) | Int(record[1]) << 8 | Int(record[2]) << 16 | Int(record[3]) << 24
        #expect(record.count == length + 8)
        let body = Array(record[4..<(4 + length)])
        var framed: [UInt8] = []
        Journal.frame(body, into: &framed)
        #expect(framed == record, "the example's CRC is not the body's")
        let checkpoint = try body.withUnsafeBytes { (raw) throws(JournalCorruption) in try JobCheckpoint(decoding: raw) }
        let job = checkpoint.announcement
        #expect((job.jobID, job.first, job.last, job.chunk, job.taskCount) == (7, 1, 100, 30, 4))
        #expect((checkpoint.completed, checkpoint.total, checkpoint.elapsedNanoseconds) == (3, 2785, 1_000_000_000))
        #expect(checkpoint.workers == [WorkerStatistics(workerID: 0xABCD, tasks: 3, elements: 70, busyNanoseconds: 4500)])
        #expect([0, 1, 2, 3].map { checkpoint.done.contains($0) } == [true, true, false, true])
        var reencoded: [UInt8] = []
        checkpoint.encode(into: &reencoded)
        #expect(reencoded == body)
    }
}
