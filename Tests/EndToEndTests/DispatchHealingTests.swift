import Foundation
import TestSupport
import Testing

/// Workers that take tasks and give nothing back, and workers far slower than the rest, with real processes: the
/// job still gets its exact total, the bad worker is named (ventilator log, sink report), and the healthy workers
/// do the work. How long each job takes next to a healthy worker alone is `scripts/bench`'s to measure.
/// Serialized: each runs π(10^8), a few seconds of both cores.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct DispatchHealingTests {
    static let hoarder = CommandKernelTests.repository.appendingPathComponent("Tests/EndToEndTests/Peers/hoarder.py").path
    /// π(10^8), which the sink verifies against its table.
    static let job = ["--kernel", "primes-mr", "--n", "1e8"]

    /// Waits for the job's verified total and the sink's report naming `worker`; prints when it was named.
    func expectExactTotal(
        _ ventilator: RunningProcess, sink: RunningProcess, naming worker: String, since started: ContinuousClock.Instant,
        what: String, while needed: [RunningProcess]
    ) async throws {
        try await waitForLog(ventilator, containing: "worker \(worker) at ", timeout: .seconds(120), while: needed)
        let namedAfter = ContinuousClock.now - started
        #expect(try await ventilator.waitForExit() == 0, "\(ventilator.standardOutput)\(ventilator.standardError)")
        #expect(ventilator.standardOutput.contains("total: 5761455"), "\(ventilator.standardOutput)")
        #expect(ventilator.standardOutput.contains("verified: yes"), "\(ventilator.standardOutput)")
        let deadline = ContinuousClock.now + .seconds(30)
        while !sink.standardOutput.contains("suspect worker \(worker)") && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(sink.standardOutput.contains("suspect worker \(worker)"), "\(sink.standardOutput)")
        let dispatch = ventilator.standardOutput.split(separator: "\n").first { $0.hasPrefix("dispatch to report") } ?? ""
        print("healing: \(what) named after \(namedAfter); \(dispatch)")
    }

    @Test func aWorkerWhoseResultsGoToAnotherSinkIsNamedAndTheTotalStaysExact() async throws {
        let pipeline = try await LivePipeline()
        let elsewhere = try await LivePipeline()
        let (ventilator, tasks) = try await pipeline.ventilator(Self.job)
        let healthy = try pipeline.worker(tasks: [tasks], extra: ["--id", "600d"])
        let started = ContinuousClock.now
        let misrouted = try elsewhere.worker(tasks: [tasks], extra: ["--id", "bad0"])
        try await expectExactTotal(
            ventilator, sink: pipeline.sink, naming: "000000000000bad0", since: started, what: "a misrouted worker",
            while: [misrouted])
        #expect(ventilator.standardError.contains("--results endpoint"), "\(ventilator.standardError)")
        for process in [healthy, misrouted, pipeline.sink, elsewhere.sink] { process.signal() }
    }

    /// Once the only worker that delivered is gone, a job whose remaining workers are all suspended fails on its
    /// timeout saying so, not that no worker offers the kernel (they do).
    @Test func aJobLeftWithOnlySuspendedWorkersFailsSayingSo() async throws {
        let pipeline = try await LivePipeline()
        let elsewhere = try await LivePipeline()
        let (ventilator, tasks) = try await pipeline.ventilator(Self.job + ["--timeout", "5"])
        let healthy = try pipeline.worker(tasks: [tasks], extra: ["--id", "600d"])
        let misrouted = try elsewhere.worker(tasks: [tasks], extra: ["--id", "bad0"])
        try await waitForLog(ventilator, containing: "worker 000000000000bad0 at ", timeout: .seconds(120), while: [misrouted])
        healthy.signal(SIGKILL)

        #expect(try await ventilator.waitForExit(timeout: .seconds(60)) != 0)
        let said = "every connected worker that offers kernel 'primes-mr' is suspended"
        #expect(ventilator.standardError.contains(said), "\(ventilator.standardError)")
        for process in [misrouted, pipeline.sink, elsewhere.sink] { process.signal() }
    }

    @Test func aPeerThatKeepsAskingAndNeverAnswersIsNamedAndTheTotalStaysExact() async throws {
        let pipeline = try await LivePipeline()
        let (ventilator, tasks) = try await pipeline.ventilator(Self.job)
        let healthy = try pipeline.worker(tasks: [tasks], extra: ["--id", "600d"])
        let started = ContinuousClock.now
        let hoarder = try RunningProcess(
            URL(fileURLWithPath: "/usr/bin/env"), ["python3", Self.hoarder, tasks, "ba5e", "primes-mr"])
        try await expectExactTotal(
            ventilator, sink: pipeline.sink, naming: "000000000000ba5e", since: started, what: "a hoarder",
            while: [hoarder])
        #expect(ventilator.standardError.contains("past their deadline"), "\(ventilator.standardError)")
        for process in [healthy, hoarder, pipeline.sink] { process.signal(SIGKILL) }
    }

    /// A worker stopped 90 % of the time (SIGSTOP/SIGCONT) beside a healthy one: the healthy one does most of the
    /// job, and the slow one is never blamed, since all it takes comes back.
    @Test func aFastWorkerIsNotHeldBackByASlowOne() async throws {
        let pipeline = try await LivePipeline()
        let (ventilator, tasks) = try await pipeline.ventilator(Self.job)
        let fast = try pipeline.worker(tasks: [tasks], extra: ["--id", "fa57"])
        let slow = try pipeline.worker(tasks: [tasks], extra: ["--id", "5104"])
        let pid = slow.processIdentifier
        let cycling = Task.detached {
            while !Task.isCancelled {
                kill(pid, SIGSTOP)
                try? await Task.sleep(for: .milliseconds(90))
                kill(pid, SIGCONT)
                try? await Task.sleep(for: .milliseconds(10))
            }
            kill(pid, SIGCONT)
        }
        #expect(try await ventilator.waitForExit() == 0, "\(ventilator.standardOutput)\(ventilator.standardError)")
        cycling.cancel()
        _ = await cycling.value
        #expect(ventilator.standardOutput.contains("verified: yes"), "\(ventilator.standardOutput)")
        let deadline = ContinuousClock.now + .seconds(30)
        while !pipeline.sink.standardOutput.contains("worker 000000000000fa57:") && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        let report = pipeline.sink.standardOutput
        let fastTasks = number(after: "worker 000000000000fa57: ", in: report) ?? 0
        let slowTasks = number(after: "worker 0000000000005104: ", in: report) ?? 0
        #expect(fastTasks + slowTasks == 1024, "\(report)")
        #expect(fastTasks > 3 * slowTasks, "the fast worker did \(fastTasks) tasks, the slow one \(slowTasks)")
        let dispatch = ventilator.standardOutput.split(separator: "\n").first { $0.hasPrefix("dispatch to report") } ?? ""
        print("healing: fast worker \(fastTasks) tasks, slow (10 % of the time) \(slowTasks); \(dispatch)")
        for process in [fast, slow, pipeline.sink] { process.signal() }
    }
}
