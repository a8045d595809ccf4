import Foundation
import TestSupport
import Testing
import ZeroMQ

/// Keys as operators handle them: exposed, revoked mid-job, pasted into the wrong file, or wrong; CURVE on, real
/// processes.
@Suite(.timeLimit(.minutes(3)))
struct KeyHygieneTests {
    @Test func aKeyRevokedMidJobGetsNoMoreTasksItsResultsAreDroppedAndTheTotalStaysExact() async throws {
        let keys = try await TestKeys(workers: ["a", "b"])
        defer { try? FileManager.default.removeItem(atPath: keys.folder) }
        let pipeline = try await LivePipeline(sinkArguments: keys.sink)
        let (ventilator, tasks) = try await pipeline.ventilator(
            ["--kernel", "primes-mr", "--n", "1e8", "--chunk", "50000"] + keys.ventilator)
        let a = try pipeline.worker(tasks: [tasks], extra: keys.worker("a") + ["--id", "a"])
        let b = try pipeline.worker(tasks: [tasks], extra: keys.worker("b") + ["--id", "b"])
        try await waitForLog(b, containing: "first task")
        try keys.allow(["a"])
        let revoked = ContinuousClock.now
        pipeline.sink.signal(SIGHUP)
        ventilator.signal(SIGHUP)
        try await waitForLog(ventilator, containing: "worker 000000000000000b (key \(try keys.fingerprint("b"))) is no longer")
        let took = ContinuousClock.now - revoked
        try await waitForLog(pipeline.sink, containing: "revoked \(try keys.fingerprint("b"))")

        #expect(try await ventilator.waitForExit() == 0, "\(ventilator.standardOutput)\(ventilator.standardError)")
        #expect(ventilator.standardOutput.contains("total: 5761455"))  // π(10^8)
        #expect(ventilator.standardOutput.contains("verified: yes"))
        #expect(try await pipeline.sink.waitForExit() == 0)
        #expect(took < .seconds(1), "the ventilator stopped feeding the revoked worker \(took) after SIGHUP")
        print("key hygiene: revoked worker cut off \(took) after SIGHUP")
        // Its key's results that arrived after the reload were dropped and counted, naming its fingerprint.
        let dropped = pipeline.sink.standardError.contains("dropped a frame from key \(try keys.fingerprint("b"))")
        let aTasks = tasksOfWorker("000000000000000a", in: pipeline.sink.standardOutput)
        let bTasks = tasksOfWorker("000000000000000b", in: pipeline.sink.standardOutput)
        #expect(aTasks + bTasks == 2000)
        #expect(aTasks > bTasks, "b was revoked early but did \(bTasks) of 2000 tasks (dropped results logged: \(dropped))")
        #expect(pipeline.sink.standardOutput.contains("key \(try keys.fingerprint("a"))"))
        a.signal()
        b.signal()
    }

    @Test func aNewHostsKeyAddedMidJobIsAdmittedAfterSIGHUP() async throws {
        let keys = try await TestKeys(workers: ["a", "b"])
        defer { try? FileManager.default.removeItem(atPath: keys.folder) }
        try keys.allow(["a"])
        let pipeline = try await LivePipeline(sinkArguments: keys.sink)
        let (ventilator, tasks) = try await pipeline.ventilator(
            ["--kernel", "primes-mr", "--n", "1e8", "--chunk", "50000"] + keys.ventilator)
        let a = try pipeline.worker(tasks: [tasks], extra: keys.worker("a") + ["--id", "a"])
        let b = try pipeline.worker(tasks: [tasks], extra: keys.worker("b") + ["--id", "b"])
        try await waitForLog(
            ventilator, containing: "refused a connection from 127.0.0.1: public key \(try keys.fingerprint("b"))")
        try await waitForLog(a, containing: "first task")
        try keys.allow(["a", "b"])
        pipeline.sink.signal(SIGHUP)
        ventilator.signal(SIGHUP)
        // libzmq retries the refused connections on its own; the reloaded list admits them.
        try await waitForLog(b, containing: "first task", timeout: .seconds(90))
        #expect(try await ventilator.waitForExit() == 0, "\(ventilator.standardOutput)\(ventilator.standardError)")
        #expect(ventilator.standardOutput.contains("total: 5761455"))
        #expect(try await pipeline.sink.waitForExit() == 0)
        #expect(tasksOfWorker("000000000000000b", in: pipeline.sink.standardOutput) > 0, "\(pipeline.sink.standardOutput)")
        a.signal()
        b.signal()
    }

    @Test(arguments: [0o644, 0o640] as [Int])
    func anExposedSecretKeyIsRefusedNamingTheChmodToRun(mode: Int) async throws {
        let keys = try await TestKeys(workers: ["a", "b"])
        defer { try? FileManager.default.removeItem(atPath: keys.folder) }
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: keys.path("a.key"))
        let worker = try RunningProcess("worker", keys.worker("a"))
        #expect(try await worker.waitForExit(timeout: .seconds(60)) == 64)
        #expect(worker.standardError.contains("chmod 600 \(keys.path("a.key"))"), "\(worker.standardError)")
        let check = try RunningProcess("keygen", ["--check", keys.path("a.key")])
        #expect(try await check.waitForExit(timeout: .seconds(60)) == 64)
    }

    @Test func aSecondKeyClaimingAWorkerIdIsRefusedAndTheTotalIsUnchanged() async throws {
        let keys = try await TestKeys(workers: ["a", "b"])
        defer { try? FileManager.default.removeItem(atPath: keys.folder) }
        let pipeline = try await LivePipeline(sinkArguments: keys.sink + ["--jobs", "2"])
        // Job 1 with worker a alone: id 7 is then a's.
        let (first, firstTasks) = try await pipeline.ventilator(["--n", "1e6", "--chunk", "1e4"] + keys.ventilator)
        let a = try pipeline.worker(tasks: [firstTasks], extra: keys.worker("a") + ["--id", "7"])
        #expect(try await first.waitForExit() == 0)
        // Job 2: b claims id 7 too.
        let (second, secondTasks) = try await pipeline.ventilator(
            ["--kernel", "primes-mr", "--n", "1e6", "--chunk", "1e4"] + keys.ventilator)
        let b = try pipeline.worker(tasks: [secondTasks], extra: keys.worker("b") + ["--id", "7"])
        try await waitForLog(
            pipeline.sink, containing: "refused results from key \(try keys.fingerprint("b")) as worker 0000000000000007")
        let aAgain = try pipeline.worker(tasks: [secondTasks], extra: keys.worker("a") + ["--id", "7"])
        #expect(try await second.waitForExit() == 0, "\(second.standardOutput)")
        #expect(second.standardOutput.contains("total: 78498"))  // π(10^6): only a's results counted
        #expect(second.standardOutput.contains("verified: yes"))
        #expect(try await pipeline.sink.waitForExit() == 0)
        for worker in [a, b, aAgain] { worker.signal() }
    }

    @Test func aMalformedAllowFileOnSIGHUPLeavesTheOldListInForce() async throws {
        let keys = try await TestKeys(workers: ["a", "b"])
        defer { try? FileManager.default.removeItem(atPath: keys.folder) }
        let pipeline = try await LivePipeline(sinkArguments: keys.sink)
        let secret = try String(contentsOfFile: keys.path("b.key"), encoding: .utf8)
        try (secret + "not a key at all\n").write(toFile: keys.path("sink.allow"), atomically: true, encoding: .utf8)
        pipeline.sink.signal(SIGHUP)
        try await waitForLog(pipeline.sink, containing: "the allow list was not reloaded, the old one stays in force")
        #expect(pipeline.sink.standardError.contains("line 2 holds a secret key"), "\(pipeline.sink.standardError)")
        let (ventilator, tasks) = try await pipeline.ventilator(["--n", "1e6"] + keys.ventilator)
        let worker = try pipeline.worker(tasks: [tasks], extra: keys.worker("a"))
        #expect(try await ventilator.waitForExit() == 0, "\(ventilator.standardError)")
        #expect(ventilator.standardOutput.contains("verified: yes"))
        worker.signal()
    }

    @Test func wrongKeysAndKeylessPeersAreLoggedWithTheirLikelyCause() async throws {
        let keys = try await TestKeys(workers: ["a", "b"])
        defer { try? FileManager.default.removeItem(atPath: keys.folder) }
        let pipeline = try await LivePipeline(sinkArguments: keys.sink + ["--jobs", "0"])
        // A worker given the ventilator's key where the sink's belongs.
        let wrong = try RunningProcess(
            "worker",
            keys.worker("a", sinkKey: "ventilator.pub") + ["--results", pipeline.results, "--tasks", "tcp://127.0.0.1:9"])
        try await waitForLog(wrong, containing: "most likely --sink-key is not the sink's public key")
        try await waitForLog(pipeline.sink, containing: "failed the CURVE handshake (its messages did not decrypt)")
        wrong.signal()
        #expect(try await wrong.waitForExit(timeout: .seconds(60)) == 0)
        // A peer without keys, alone (the wrong key's failures are over).
        let keyless = try RunningProcess("worker", ["--results", pipeline.results, "--tasks", "tcp://127.0.0.1:9"])
        // Whichever side notices the mismatch first, the sink names the missing keys.
        try await waitForLog(pipeline.sink, containing: "give it --keys")
        // A key the sink does not list: the worker learns it was refused.
        try keys.allow(["b"])
        pipeline.sink.signal(SIGHUP)
        try await waitForLog(pipeline.sink, containing: "revoked \(try keys.fingerprint("a"))")
        let unlisted = try RunningProcess(
            "worker", keys.worker("a") + ["--results", pipeline.results, "--tasks", "tcp://127.0.0.1:9"])
        try await waitForLog(
            unlisted, containing: "the sink at \(pipeline.results) refused this worker's key \(try keys.fingerprint("a"))")
        for process in [keyless, unlisted, pipeline.sink] { process.signal() }
    }

    @Test func keyAndAllowFilesAreCheckedLikeNetworkInput() async throws {
        let keys = try await TestKeys(workers: ["a", "b"])
        defer { try? FileManager.default.removeItem(atPath: keys.folder) }
        func check(_ arguments: [String]) async throws -> RunningProcess {
            let process = try RunningProcess("keygen", ["--check", keys.path("a.key")] + arguments)
            _ = try await process.waitForExit(timeout: .seconds(60))
            return process
        }
        let good = try await check(["--peer", keys.path("sink.pub"), "--allow", keys.path("sink.allow")])
        #expect(good.standardOutput.contains("public key \(try keys.fingerprint("a"))"), "\(good.standardError)")
        #expect(good.standardOutput.contains("3 public key(s), holds this pair's public key"))
        // CRLF line endings and two keys.
        let crlf = try ["a", "b"].map { try keys.publicKey($0) }.joined(separator: "\r\n") + "\r\n"
        try crlf.write(toFile: keys.path("crlf.allow"), atomically: true, encoding: .utf8)
        #expect(try await check(["--allow", keys.path("crlf.allow")]).standardOutput.contains("2 public key(s)"))
        // A secret key pasted into an allow file, naming the line.
        try (try keys.publicKey("b") + "\n" + String(contentsOfFile: keys.path("b.key"), encoding: .utf8))
            .write(toFile: keys.path("pasted.allow"), atomically: true, encoding: .utf8)
        let pasted = try await check(["--allow", keys.path("pasted.allow")])
        #expect(pasted.standardError.contains("line 3 holds a secret key"), "\(pasted.standardError)")
        // A long bad line is quoted short and escaped.
        try (String(repeating: "\u{1}x", count: 200_000)).write(
            toFile: keys.path("long.allow"), atomically: true, encoding: .utf8)
        let long = try await check(["--allow", keys.path("long.allow")])
        #expect(long.standardError.contains("'\\u{1}x\\u{1}x"), "\(long.standardError.prefix(300))")
        #expect(long.standardError.utf8.count < 1_000)
        // A file over the size limit is refused before it is read.
        FileManager.default.createFile(atPath: keys.path("huge.allow"), contents: Data(count: 20 << 20))
        let huge = try await check(["--allow", keys.path("huge.allow")])
        #expect(huge.standardError.contains("is 20971520 bytes; a key file of this kind is at most 1048576"))
        // A pair whose halves come from two pairs.
        let a = try String(contentsOfFile: keys.path("a.key"), encoding: .utf8).split(separator: "\n")
        let b = try String(contentsOfFile: keys.path("b.key"), encoding: .utf8).split(separator: "\n")
        FileManager.default.createFile(
            atPath: keys.path("mixed.key"), contents: Data("\(a[0])\n\(b[1])\n".utf8), attributes: [.posixPermissions: 0o600])
        let mixed = try RunningProcess("keygen", ["--check", keys.path("mixed.key")])
        #expect(try await mixed.waitForExit(timeout: .seconds(60)) == 64)
        #expect(mixed.standardError.contains("its public key is not the one its secret key makes"))
        FileManager.default.createFile(
            atPath: keys.path("text.key"), contents: Data("hello\n".utf8), attributes: [.posixPermissions: 0o600])
        let text = try RunningProcess("keygen", ["--check", keys.path("text.key")])
        #expect(try await text.waitForExit(timeout: .seconds(60)) == 64)
        #expect(text.standardError.contains("is not a key pair file"))
    }
}
