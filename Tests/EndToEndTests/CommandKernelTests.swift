import Foundation
import TestSupport
import Testing

/// Kernels that are programs (`worker --command NAME=CMDLINE`), misbehaving in every way the line protocol allows,
/// with real processes: each job still ends with the exact total, checked against `--expect`.
/// Serialized: Python processes beside every other suite's pipelines would load a 2-core machine too much.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct CommandKernelTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let misbehaving = repository.appendingPathComponent("Tests/EndToEndTests/Kernels/misbehaving.py").path
    static let squares = repository.appendingPathComponent("Examples/python/sum_of_squares.py").path

    /// A worker whose kernel `pysum` is `misbehaving.py MODE`.
    func worker(_ pipeline: LivePipeline, tasks: String, mode: String, extra: [String] = []) throws -> RunningProcess {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent(
            "kernel-state-\(UInt64.random(in: 1...UInt64.max))")
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
        return try pipeline.worker(
            tasks: [tasks], extra: ["--command", "pysum=python3 \(Self.misbehaving) \(mode) \(state.path)"] + extra)
    }

    @Test func theShippedPythonExampleRunsAJobVerifiedAgainstExpect() async throws {
        let pipeline = try await LivePipeline()
        let (ventilator, tasks) = try await pipeline.ventilator([
            "--kernel", "squares", "--n", "1e6", "--expect", "333333833333500000",
        ])
        let worker = try pipeline.worker(tasks: [tasks], extra: ["--command", "squares=python3 \(Self.squares)"])
        #expect(try await ventilator.waitForExit() == 0, "\(ventilator.standardError)")
        #expect(ventilator.standardOutput.contains("verified: yes (equals the expected total (--expect): 333333833333500000)"))
        #expect(try await pipeline.sink.waitForExit() == 0)
        worker.signal()
        #expect(try await worker.waitForExit(timeout: .seconds(60)) == 0, "\(worker.standardError)")
    }

    /// Each way a kernel's process can misbehave, and what the worker's log must say about it.
    static let misbehaviours: [(mode: String, logged: String)] = [
        ("malformed", "kernel 'pysum' answered '"),
        ("unknown", "which it was not given"),
        ("stderr", "more lines of standard error not shown"),
        ("exit", "exited with status 3"),
        ("crash", "was killed by signal 11"),
        ("hang", "gave no answer within 2.0 seconds (--task-timeout); killed it"),
    ]

    @Test(arguments: misbehaviours)
    func aMisbehavingKernelCostsRetriesButNeverATaskOrADoubleCount(mode: String, logged: String) async throws {
        let pipeline = try await LivePipeline()
        let (ventilator, tasks) = try await pipeline.ventilator(
            ["--kernel", "pysum", "--n", "2000", "--chunk", "1", "--expect", "2001000"])
        let worker = try worker(pipeline, tasks: tasks, mode: mode, extra: ["--task-timeout", "2"])
        #expect(try await ventilator.waitForExit() == 0, "\(ventilator.standardOutput)\n\(worker.standardError)")
        #expect(ventilator.standardOutput.contains("total: 2001000"))
        #expect(ventilator.standardOutput.contains("verified: yes"))
        #expect(try await pipeline.sink.waitForExit() == 0)
        #expect(worker.standardError.contains(logged), "\(worker.standardError)")
        if mode == "stderr" { #expect(worker.standardError.contains("kernel 'pysum' says: note 0 about task")) }
        worker.signal()
        #expect(try await worker.waitForExit(timeout: .seconds(60)) == 0, "\(worker.standardError)")
    }

    @Test func aTaskThatFailsOnEveryTryEndsTheJobNamingItAndTheWorkerServesItsOtherKernels() async throws {
        let pipeline = try await LivePipeline(sinkArguments: ["--jobs", "2"])
        let (poisoned, poisonedTasks) = try await pipeline.ventilator(
            ["--kernel", "pysum", "--n", "100", "--chunk", "1", "--expect", "5050"])
        let (healthy, healthyTasks) = try await pipeline.ventilator(["--kernel", "primes", "--n", "2e6", "--chunk", "2000"])
        // The only worker, serving both jobs: its pysum kernel dies on task 17 every time.
        let worker = try worker(pipeline, tasks: poisonedTasks, mode: "poison", extra: ["--tasks", healthyTasks, "--id", "d4"])
        #expect(try await poisoned.waitForExit() == 1)
        let expected = "task 17 [18, 18] failed on worker 00000000000000d4"
        #expect(poisoned.standardOutput.contains(expected), "\(poisoned.standardOutput)")
        #expect(poisoned.standardOutput.contains("exited with status 4 (3 tries)"))
        #expect(try await healthy.waitForExit() == 0, "\(healthy.standardOutput)")
        #expect(healthy.standardOutput.contains("total: 148933"))  // π(2·10^6)
        #expect(try await pipeline.sink.waitForExit() == 1)  // one of its two jobs failed
        #expect(pipeline.sink.standardOutput.contains(expected))
        #expect(worker.isRunning)
        worker.signal()
        #expect(try await worker.waitForExit(timeout: .seconds(60)) == 0)
    }

    @Test func aKernelThatCannotStartIsAClearError() async throws {
        let worker = try RunningProcess("worker", ["--command", "x=/nonexistent/kernel --flag"])
        #expect(try await worker.waitForExit(timeout: .seconds(60)) == 1)
        #expect(worker.standardError.contains("cannot start kernel 'x' (--command x=/nonexistent/kernel --flag)"))
        #expect(worker.standardError.contains("No such file or directory"))
    }

    @Test func aMixedPoolSendsEachJobOnlyToWorkersThatOfferItsKernel() async throws {
        let pipeline = try await LivePipeline(sinkArguments: ["--jobs", "2"])
        let (custom, customTasks) = try await pipeline.ventilator(
            ["--kernel", "pysum", "--n", "3000", "--chunk", "10", "--reduce", "max", "--expect", "29955"])
        let (builtIn, builtInTasks) = try await pipeline.ventilator(["--kernel", "sum", "--n", "1e7", "--chunk", "1000"])
        // Both workers serve both ventilators; only a1 offers pysum.
        let able = try worker(
            pipeline, tasks: customTasks, mode: "correct", extra: ["--tasks", builtInTasks, "--id", "a1"])
        let plain = try pipeline.worker(tasks: [customTasks, builtInTasks], extra: ["--id", "b2"])
        #expect(try await custom.waitForExit() == 0, "\(custom.standardOutput)")
        #expect(custom.standardOutput.contains("verified: yes"))
        #expect(custom.standardError.contains("worker 00000000000000b2 connected but does not offer kernel 'pysum'"))
        #expect(try await builtIn.waitForExit() == 0)
        #expect(try await pipeline.sink.waitForExit() == 0)
        let reports = pipeline.sink.standardOutput.components(separatedBy: "\njob ")
        let customReport = try #require(reports.first { $0.contains("pysum over [1, 3000]") }, "\(pipeline.sink.standardOutput)")
        let builtInReport = try #require(reports.first { $0.contains("sum over [1, 10000000]") && !$0.contains("pysum") })
        #expect(tasksOfWorker("00000000000000a1", in: customReport) == 300)
        #expect(tasksOfWorker("00000000000000b2", in: customReport) == 0)
        #expect(tasksOfWorker("00000000000000b2", in: builtInReport) > 0, "\(builtInReport)")
        for worker in [able, plain] { worker.signal() }
    }

    @Test func aJobNoWorkerCanRunFailsNamingItsKernelAndWhatTheWorkersOffer() async throws {
        let pipeline = try await LivePipeline()
        let (ventilator, tasks) = try await pipeline.ventilator(["--kernel", "mc-pi", "--n", "100", "--timeout", "3"])
        let worker = try pipeline.worker(tasks: [tasks])
        try await waitForLog(
            ventilator, containing: "does not offer kernel 'mc-pi' (it offers sum, primes, primes-mr); no connected worker")
        #expect(try await ventilator.waitForExit() == 1)
        #expect(
            ventilator.standardError.contains("no connected worker offers kernel 'mc-pi'")
                && ventilator.standardError.contains("the connected workers offer: primes, primes-mr, sum"),
            "\(ventilator.standardError)")
        pipeline.sink.signal()
        worker.signal()
    }
}
