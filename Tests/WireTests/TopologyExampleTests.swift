import Foundation
import Testing
import Wire

/// Keeps topology.md honest: every hex example in it decodes, and re-encodes to the same bytes.
struct TopologyExampleTests {
    static func examples() throws -> [[UInt8]] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("topology.md"), encoding: .utf8)
        return text.components(separatedBy: "```hex\n").dropFirst().map { block in
            block.components(separatedBy: "```")[0].split(whereSeparator: \.isWhitespace).map { UInt8($0, radix: 16)! }
        }
    }

    @Test func everyMessageTypeHasAnExample() throws {
        let types = try Self.examples().map { $0[1] }
        #expect(types == [0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A])
    }

    @Test func everyExampleDecodesAndReencodesIdentically() throws {
        for bytes in try Self.examples() {
            let message = try AnyMessage(decoding: bytes)
            let reencoded = message.encoded()
            #expect(message.type.rawValue == bytes[1])
            #expect(reencoded == bytes)
        }
    }

    @Test func theExamplesSayWhatTheTextSays() throws {
        let examples = try Self.examples()
        let job = try JobAnnouncement(decoding: examples[0])
        #expect((job.jobID, job.first, job.last, job.chunk, job.taskCount) == (7, 1, 100, 30, 4))
        #expect((job.kernel.rawValue, job.reduction, job.answer) == ("sum", .sum, .known(5050)))
        #expect(job.crossChecks == CrossCheckPlan(fraction: 0.01))
        let tasks = try TaskBatch(decoding: examples[1])
        #expect(tasks.kernel.rawValue == "sum")
        #expect(tasks.tasks == [job.task(2), job.task(3)])
        let results = try ResultBatch(decoding: examples[2])
        #expect(results.workerID == 0xABCD)
        #expect(results.results.map(\.taskID) == [3])
        #expect(results.results.map(\.partial) == [955])
        #expect(results.results.map(\.elementCount) == [10])
        let ack = try Acknowledgement(decoding: examples[3])
        #expect(ack.runs == [.init(first: 0, length: 2), .init(first: 3, length: 1)])
        let report = try JobReport(decoding: examples[4])
        #expect((report.outcome, report.total, report.completed) == (.verified, 5050, 4))
        let credit = try Credit(decoding: examples[5])
        #expect((credit.batches, credit.isReset, credit.workerID) == (2, true, 0xABCD))
        #expect(credit.kernels.map(\.rawValue) == ["sum", "primes"])
        let status = try DispatchStatus(decoding: examples[6])
        #expect(status == DispatchStatus(jobID: 7, dispatched: 4, reissued: 1, workers: 3, able: 2))
        let failure = try TaskFailure(decoding: examples[7])
        #expect((failure.jobID, failure.workerID, failure.task) == (7, 0xABCD, job.task(2)))
        #expect(failure.reason == "exited with status 1 (3 tries)")
        let suspect = try SuspectWorker(decoding: examples[8])
        #expect(
            suspect
                == SuspectWorker(
                    jobID: 7, workerID: 0xABCD, cause: .resultsElsewhere, tasksLost: 12, suspendedMilliseconds: 1000,
                    address: "127.0.0.1"))
        let request = try RecomputeRequest(decoding: examples[9])
        #expect((request.jobID, request.quarantine, request.excluded) == (7, true, [0xABCD]))
        #expect(request.runs == [.init(first: 1, length: 2)])
    }
}
