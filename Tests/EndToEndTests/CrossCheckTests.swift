import Foundation
import TestSupport
import Testing

/// A faulty worker in a pool of real processes (`--command` kernels in Python): with cross-checks it is quarantined and
/// the total stays exact; without them its wrong total is never called verified.
/// Serialized: Python processes beside every other suite's pipelines would load a 2-core machine too much.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct CrossCheckEndToEndTests {
    static let faulty = CommandKernelTests.repository.appendingPathComponent("Tests/EndToEndTests/Kernels/faulty.py").path
    /// The sum of the squares of 1 ... 10,000.
    static let expected = "333383335000"
    static let faultyID = "00000000000000fa"

    /// Starts the faulty worker and waits until the ventilator has it, so that it takes the first tasks and most of
    /// the rest, then two honest but slow ones.
    func pool(
        _ pipeline: LivePipeline, ventilator: RunningProcess, tasks: String, mode: String
    ) async throws -> [RunningProcess] {
        let faulty = try pipeline.worker(
            tasks: [tasks], extra: ["--id", "fa", "--command", "squares=python3 \(Self.faulty) \(mode)"])
        try await waitForLog(ventilator, containing: "worker \(Self.faultyID) connected")
        let honest = try (1...2).map { index in
            try pipeline.worker(tasks: [tasks], extra: ["--id", "\(index)", "--command", "squares=python3 \(Self.faulty) slow"])
        }
        return [faulty] + honest
    }

    func stop(_ workers: [RunningProcess]) async throws {
        for worker in workers { worker.signal() }
        for worker in workers { #expect(try await worker.waitForExit(timeout: .seconds(60)) == 0, "\(worker.standardError)") }
    }

    /// The sink's one-line JSON report.
    func report(of sink: RunningProcess) throws -> [String: Any] {
        let line = sink.standardOutput.split(separator: "\n").first { $0.hasPrefix("{") } ?? ""
        return try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
    }

    func quarantined(in report: [String: Any]) -> [[String: Any]] {
        (report["cross_checks"] as? [String: Any])?["quarantined_workers"] as? [[String: Any]] ?? []
    }

    @Test func aWorkerWrongOnOnePercentOfItsTasksIsQuarantinedAndTheTotalIsExact() async throws {
        let pipeline = try await LivePipeline(sinkArguments: ["--json"])
        let (ventilator, tasks) = try await pipeline.ventilator([
            "--kernel", "squares", "--n", "10000", "--chunk", "1", "--expect", Self.expected, "--verify-fraction", "0.1",
            // All three take part from the start: a faulty worker alone would finish the job before the honest ones
            // (Python, on a loaded machine) connect, and its checks would be given up for want of a second worker.
            "--wait-for-workers", "3",
        ])
        let workers = try await pool(pipeline, ventilator: ventilator, tasks: tasks, mode: "one-percent")
        #expect(try await ventilator.waitForExit() == 0, "\(ventilator.standardOutput)\n\(ventilator.standardError)")
        #expect(ventilator.standardOutput.contains("verified: yes"), "\(ventilator.standardOutput)")
        #expect(ventilator.standardOutput.contains("cross-checks: cross-checked"))
        #expect(ventilator.standardOutput.contains("quarantined worker \(Self.faultyID)"))
        // The ventilator names it with its address.
        #expect(ventilator.standardError.contains("worker \(Self.faultyID) (127.0.0.1) is quarantined"))
        let sinkStatus = try await pipeline.sink.waitForExit()
        #expect(sinkStatus == 0, "\(sinkStatus) \(pipeline.sink.standardError.suffix(3000))")
        let report = try report(of: pipeline.sink)
        #expect(report["outcome"] as? String == "verified")
        #expect(quarantined(in: report).map { $0["id"] as? String } == [Self.faultyID])
        #expect(pipeline.sink.standardError.contains("quarantined worker \(Self.faultyID)"))
        try await stop(workers)
    }

    @Test func withoutCrossChecksTheWrongTotalIsAMismatchOrUnverifiableButNeverVerified() async throws {
        for expect in [true, false] {
            let pipeline = try await LivePipeline(sinkArguments: ["--json"])
            let (ventilator, tasks) = try await pipeline.ventilator(
                ["--kernel", "squares", "--n", "10000", "--chunk", "1", "--verify-fraction", "0"]
                    + (expect ? ["--expect", Self.expected] : []))
            let workers = try await pool(pipeline, ventilator: ventilator, tasks: tasks, mode: "one-percent")
            let status = try await ventilator.waitForExit()
            _ = try await pipeline.sink.waitForExit()
            let report = try report(of: pipeline.sink)
            #expect(report["total"] as? String != Self.expected, "the faulty worker did too few tasks to be wrong")
            #expect(report["outcome"] as? String == (expect ? "mismatch" : "unverifiable"))
            #expect(status == (expect ? 1 : 0))
            #expect(!ventilator.standardOutput.contains("verified: yes"))
            #expect(report["cross_checks"] == nil)
            try await stop(workers)
        }
    }

    /// A job of 40 tasks, most of them computed by a worker wrong on every one: at the default fraction (1 %) the plan
    /// alone would check none of its tasks two times in three, but each worker's first results are all checked.
    @Test func aWorkerAlwaysWrongIsCaughtOnItsFirstTasksAtTheDefaultFraction() async throws {
        let pipeline = try await LivePipeline(sinkArguments: ["--json"])
        let (ventilator, tasks) = try await pipeline.ventilator([
            "--kernel", "squares", "--n", "40", "--chunk", "1", "--expect", "22140",
        ])
        let workers = try await pool(pipeline, ventilator: ventilator, tasks: tasks, mode: "always")
        #expect(try await ventilator.waitForExit() == 0, "\(ventilator.standardOutput)\n\(ventilator.standardError)")
        #expect(ventilator.standardOutput.contains("verified: yes"))
        let sinkStatus = try await pipeline.sink.waitForExit()
        #expect(sinkStatus == 0, "\(sinkStatus) \(pipeline.sink.standardError.suffix(3000))")
        let caught = try #require(quarantined(in: report(of: pipeline.sink)).first)
        #expect(caught["id"] as? String == Self.faultyID)
        try await stop(workers)
    }
}
