import Foundation
import TestSupport
import Testing
import Wire

/// A journal is input too: the real sink given files that are not its journal, or journals that lie,
/// refuses each with a clear error and a non-zero exit, leaves the file as it was, and never hangs.
@Suite(.timeLimit(.minutes(2)))
struct HostileJournalTests {
    enum Case: String, CaseIterable, Sendable {
        case textFile, directory, fifo, deviceOfZeros, jobOf2To40Tasks, jobOf2To64Tasks, jobOneOverTheLimit, damagedMiddle
    }

    /// Makes the hostile file; returns its path and the words the sink's error must contain.
    static func make(_ kind: Case, in folder: String) throws -> (path: String, words: String) {
        let path = folder + "/journal"
        switch kind {
        case .textFile:
            try Data(String(repeating: "ssh             22/tcp\n", count: 557).utf8).write(to: URL(fileURLWithPath: path))
            return (path, "is not a ScatterGather journal")
        case .directory:
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
            return (path, "is not a regular file")
        case .fifo:
            guard mkfifo(path, 0o600) == 0 else { throw CocoaError(.fileWriteUnknown) }
            return (path, "is not a regular file")
        case .deviceOfZeros:
            return ("/dev/zero", "is not a regular file")
        case .jobOf2To40Tasks:
            try write(journal(try job(last: 1 << 40)), to: path)
            return (path, "over the sink's limit")
        case .jobOf2To64Tasks:
            try write(journal(try job(first: 0, last: .max - 1)), to: path)
            return (path, "over the sink's limit")
        case .jobOneOverTheLimit:
            try write(journal(try job(last: (1 << 28) + 1)), to: path)
            return (path, "over the sink's limit")
        case .damagedMiddle:
            var bytes = journal(try job(last: 1000)) + record(try job(last: 2000).encoded())
            bytes[20] ^= 0x40
            try write(bytes, to: path)
            return (path, "damaged at byte 16")
        }
    }

    @Test(arguments: Case.allCases)
    func theSinkRefusesAHostileJournalAndLeavesItUntouched(_ kind: Case) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UInt64.random(in: 0...UInt64.max))")
            .path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (path, words) = try Self.make(kind, in: folder)
        let before =
            kind == .textFile || kind.rawValue.hasPrefix("job") || kind == .damagedMiddle
            ? try Data(contentsOf: URL(fileURLWithPath: path)) : nil

        let sink = try RunningProcess(
            "sink", ["--results", "tcp://127.0.0.1:*", "--control", "tcp://127.0.0.1:*", "--journal", path])
        #expect(try await sink.waitForExit(timeout: .seconds(60)) == 1)
        #expect(sink.standardError.contains(words), "\(sink.standardError)")
        #expect(!sink.standardError.contains("Fatal error"), "\(sink.standardError)")
        if let before { #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before) }
    }

    static func job(first: UInt64 = 1, last: UInt64) throws -> JobAnnouncement {
        try JobAnnouncement(jobID: 42, kernel: try KernelName("sum"), first: first, last: last, chunk: 1)
    }

    /// A journal header and one record holding `job`, as topology.md lays them out.
    static func journal(_ job: JobAnnouncement) -> [UInt8] {
        var header = Array("SGJOURNL".utf8) + littleEndian(UInt32(3))
        header += littleEndian(crc32(header))
        return header + record(job.encoded())
    }

    static func record(_ body: [UInt8]) -> [UInt8] {
        littleEndian(UInt32(body.count)) + body + littleEndian(crc32(body))
    }

    static func write(_ bytes: [UInt8], to path: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    static func littleEndian(_ value: UInt32) -> [UInt8] {
        withUnsafeBytes(of: value.littleEndian) { Array($0) }
    }

    /// CRC-32 as zlib computes it, bit by bit: independent of the sink's own table-driven code.
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? 0xEDB8_8320 ^ (crc >> 1) : crc >> 1 }
        }
        return ~crc
    }
}
