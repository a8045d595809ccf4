import Foundation
import TestSupport
import Testing
import Wire
import ZeroMQ

/// CURVE on every socket, with the real executables and keys made by `keygen`.
@Suite(.timeLimit(.minutes(3)))
struct SecurityTests {
    @Test func onlyAllowListedWorkersTakePartAndForgeriesCannotLand() async throws {
        let keys = try await TestKeys(workers: ["worker"], others: ["intruder"])
        defer { try? FileManager.default.removeItem(atPath: keys.folder) }
        let pipeline = try await LivePipeline(sinkArguments: [
            "--keys", keys.path("sink.key"), "--allow", keys.path("sink.allow"),
        ])
        let (ventilator, tasks) = try await pipeline.ventilator([
            "--n", "1000000", "--kernel", "primes-mr", "--job-id", "4242",
            "--keys", keys.path("ventilator.key"), "--allow", keys.path("ventilator.allow"), "--sink-key", keys.path("sink.pub"),
        ])
        let intruder = try pipeline.worker(tasks: [tasks], extra: keys.worker("intruder") + ["--id", "bad"])
        let plaintext = try pipeline.worker(tasks: [tasks], extra: ["--id", "bad2"])
        // The honest worker starts only once both roles have turned the intruder away, so the job cannot end first.
        try await waitForLog(ventilator, containing: "refused a connection from 127.0.0.1")
        try await waitForLog(pipeline.sink, containing: "refused a connection from 127.0.0.1")
        let honest = try pipeline.worker(tasks: [tasks], extra: keys.worker("worker") + ["--id", "900d"])

        // Forged results for the real job, in plaintext and with a key the sink does not admit.
        let context = try Context()
        let forged = try ResultBatch([
            TaskResult(jobID: 4242, taskID: 0, workerID: 0xBAD, partial: 1_000_000, elementCount: 977, computeNanoseconds: 1)
        ]).encoded()
        let plainForger = try Socket(context, type: .push)
        try plainForger.connect(pipeline.results)
        let keyedForger = try Socket(context, type: .push)
        let stranger = try CurveKeyPair.generate()
        try keyedForger.setOption(
            .curveServerKey,
            try String(contentsOfFile: keys.path("sink.pub"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines))
        try keyedForger.setOption(.curvePublicKey, stranger.publicKey)
        try keyedForger.setOption(.curveSecretKey, stranger.secretKey)
        try keyedForger.connect(pipeline.results)
        for _ in 0..<20 {
            _ = try plainForger.send(forged, flags: .dontWait)
            _ = try keyedForger.send(forged, flags: .dontWait)
        }

        #expect(
            try await ventilator.waitForExit(timeout: .seconds(150)) == 0,
            "\(ventilator.standardOutput)\(ventilator.standardError)")
        #expect(ventilator.standardOutput.contains("total: 78498"))  // π(10^6)
        #expect(ventilator.standardOutput.contains("verified: yes"))
        #expect(try await pipeline.sink.waitForExit() == 0)
        let report = pipeline.sink.standardOutput
        #expect(tasksOfWorker("000000000000900d", in: report) == 1024, "\(report)")
        #expect(!report.contains("0000000000000bad"))
        #expect(!report.contains("000000000000bad2"))
        // Refusals name the peer's address.
        #expect(ventilator.standardError.contains("refused a connection from 127.0.0.1"), "\(ventilator.standardError)")
        #expect(pipeline.sink.standardError.contains("refused a connection from 127.0.0.1"), "\(pipeline.sink.standardError)")
        for worker in [intruder, plaintext, honest] { worker.signal() }
        #expect(try await intruder.waitForExit(timeout: .seconds(60)) == 0)
        #expect(intruder.standardError.contains("stopped after 0 tasks"))
        #expect(try await plaintext.waitForExit(timeout: .seconds(60)) == 0)
        #expect(plaintext.standardError.contains("stopped after 0 tasks"))
    }

    @Test func keygenWritesSecretsOnlyTheOwnerCanRead() async throws {
        let keys = try await TestKeys(workers: ["worker"], others: ["intruder"])
        defer { try? FileManager.default.removeItem(atPath: keys.folder) }
        let secret = try FileManager.default.attributesOfItem(atPath: keys.path("worker.key"))
        #expect((secret[.posixPermissions] as? Int) == 0o600)
        let pub = try String(contentsOfFile: keys.path("worker.pub"), encoding: .utf8)
        #expect(CurveKeyPair.isValidKey(pub.trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    @Test func plaintextOnAnOpenAddressNeedsInsecure() async throws {
        let process = try RunningProcess("ventilator", ["--n", "10", "--tasks", "tcp://0.0.0.0:5557", "--insecure", "--dry-run"])
        #expect(try await process.waitForExit(timeout: .seconds(60)) == 0, "\(process.standardError)")
    }
}
