import Foundation
import TestSupport
import Testing
import Wire
import ZeroMQ

/// The real executables, as a user runs them.
@Suite(.timeLimit(.minutes(3)))
struct EndToEndTests {
    @Test func aBillionOverThreeWorkersIsVerified() async throws {
        let pipeline = try await LivePipeline()
        let (ventilator, tasks) = try await pipeline.ventilator(["--n", "1000000000"])
        let workers = try (0..<3).map { _ in try pipeline.worker(tasks: [tasks]) }

        #expect(try await ventilator.waitForExit() == 0, "\(ventilator.standardError)")
        #expect(try await pipeline.sink.waitForExit() == 0, "\(pipeline.sink.standardError)")
        #expect(ventilator.standardOutput.contains("total: 500000000500000000"))
        #expect(ventilator.standardOutput.contains("verified: yes"))
        #expect(pipeline.sink.standardOutput.contains("total: 500000000500000000"))
        #expect(pipeline.sink.standardOutput.contains("tasks: 1024/1024, duplicates: 0"))
        for worker in workers {
            worker.signal(SIGTERM)
            #expect(try await worker.waitForExit(timeout: .seconds(60)) == 0)
            #expect(worker.standardError.contains("stopped after"))
        }
    }

    /// The largest window the flag takes is no limit at all, not a crash when the room left in it is taken for a batch.
    @Test func aWindowAsLargeAsItsTypeHoldsIsNoLimit() async throws {
        let pipeline = try await LivePipeline()
        let (ventilator, tasks) = try await pipeline.ventilator(
            ["--n", "100000", "--chunk", "1", "--window", String(UInt64.max), "--wait-for-workers", "2"])
        let workers = try (0..<2).map { _ in try pipeline.worker(tasks: [tasks]) }
        #expect(try await ventilator.waitForExit() == 0, "\(ventilator.standardError)")
        #expect(ventilator.standardOutput.contains("total: 5000050000"), "\(ventilator.standardOutput)")
        for worker in workers { worker.signal(SIGTERM) }
    }

    @Test func aWorkerAddedMidJobGetsTasksWithinASecond() async throws {
        let pipeline = try await LivePipeline()
        let (ventilator, tasks) = try await pipeline.ventilator(["--n", "50000000", "--chunk", "50000", "--kernel", "primes-mr"])
        let first = try pipeline.worker(tasks: [tasks], extra: ["--id", "a1"])
        _ = try await first.waitForErrorLine(startingWith: "worker a1: tasks")
        try await Task.sleep(for: .microseconds(500_000))
        let started = ContinuousClock.now
        let joiner = try pipeline.worker(tasks: [tasks], extra: ["--id", "b2"])
        _ = try await joiner.waitForErrorLine(startingWith: "worker b2: tasks")
        // The joiner logs its first task as soon as it has one.
        try await waitForLog(joiner, containing: "first task", timeout: .seconds(10))
        let delay = ContinuousClock.now - started

        #expect(try await ventilator.waitForExit() == 0, "\(ventilator.standardError)")
        #expect(try await pipeline.sink.waitForExit() == 0)
        #expect(delay < .seconds(3), "the joiner's first task came \(delay) after it started")
        #expect(ventilator.standardOutput.contains("total: 3001134"))  // π(5·10^7)
        let joinerTasks = tasksOfWorker("00000000000000b2", in: pipeline.sink.standardOutput)
        #expect(joinerTasks > 50, "sink report: \(pipeline.sink.standardOutput)")
        first.signal()
        joiner.signal()
    }

    @Test func garbageAtTheSinkAndAWorkerDoesNotChangeTheTotal() async throws {
        let pipeline = try await LivePipeline()
        let (ventilator, tasks) = try await pipeline.ventilator(["--n", "3000000", "--chunk", "3000", "--kernel", "primes-mr"])
        let context = try Context()
        // Four malformed frames, and a well-formed result for a job nobody announced.
        let unknownJob = try ResultBatch([
            TaskResult(jobID: 0xDEAD, taskID: 0, workerID: 1, partial: 1, elementCount: 1, computeNanoseconds: 1)
        ])
        let garbage: [[UInt8]] = [[], [0], [1, 2, 3], [2, 1] + [UInt8](repeating: 0, count: 41), unknownJob.encoded()]
        // The sink's share goes out before any worker exists, so it is in before the job can end (seconds of work
        // in debug, a fraction of one in release).
        let atSink = try Socket(context, type: .push)
        try atSink.connect(pipeline.results)
        for frame in garbage { try atSink.send(frame) }
        try atSink.send(parts: [[1], [2]])
        try await waitForLog(pipeline.sink, containing: "dropped", timeout: .seconds(60))

        let atWorker = try Socket(context, type: .dealer)  // a rogue "ventilator" the worker also serves
        let rogueTasks = try atWorker.bind("tcp://127.0.0.1:*")
        let worker = try pipeline.worker(tasks: [tasks, rogueTasks])
        try await waitForLog(worker, containing: "first task", timeout: .seconds(60))
        for frame in garbage { try atWorker.send(frame) }
        try atWorker.send(parts: [[1], [2]])

        #expect(try await ventilator.waitForExit() == 0, "\(ventilator.standardError)")
        #expect(try await pipeline.sink.waitForExit() == 0)
        #expect(ventilator.standardOutput.contains("total: 216816"))  // π(3·10^6)
        #expect(pipeline.sink.standardError.contains("dropped 5 malformed frames, 1 results of unknown jobs"))
        worker.signal()
        #expect(try await worker.waitForExit(timeout: .seconds(60)) == 0)
        #expect(worker.standardError.contains("\(garbage.count + 1) frames rejected"), "\(worker.standardError)")
    }

    @Test func aJobWithNoWorkersTimesOutWithAClearMessage() async throws {
        let pipeline = try await LivePipeline(sinkArguments: ["--timeout", "1"])
        let (ventilator, _) = try await pipeline.ventilator(["--n", "100"])
        #expect(try await pipeline.sink.waitForExit(timeout: .seconds(60)) == 1)
        #expect(pipeline.sink.standardOutput.contains("are workers running"))
        #expect(try await ventilator.waitForExit(timeout: .seconds(60)) == 1)
        #expect(ventilator.standardOutput.contains("FAILED"))
    }

    @Test func aVentilatorWaitingForTwoWorkersDispatchesNothingToOne() async throws {
        let pipeline = try await LivePipeline()
        let (ventilator, tasks) = try await pipeline.ventilator(["--n", "100", "--wait-for-workers", "2", "--timeout", "5"])
        let worker = try pipeline.worker(tasks: [tasks])
        #expect(try await ventilator.waitForExit(timeout: .seconds(60)) == 1)
        let said = ventilator.standardOutput + ventilator.standardError
        #expect(said.contains("only 1 of the 2 workers --wait-for-workers waits for asked for tasks"), "\(said)")
        #expect(said.contains("start more workers, or lower --wait-for-workers"))
        worker.signal()
        #expect(try await worker.waitForExit(timeout: .seconds(60)) == 0)
        #expect(!worker.standardError.contains("first task"), "\(worker.standardError)")
        pipeline.sink.signal()
    }

    @Test func workersWaitedForStartTogether() async throws {
        let pipeline = try await LivePipeline()
        let (ventilator, tasks) = try await pipeline.ventilator(["--n", "1000", "--chunk", "1", "--wait-for-workers", "2"])
        let workers = try ["a1", "b2"].map { try pipeline.worker(tasks: [tasks], extra: ["--id", $0]) }
        #expect(try await ventilator.waitForExit(timeout: .seconds(60)) == 0, "\(ventilator.standardError)")
        #expect(try await pipeline.sink.waitForExit(timeout: .seconds(60)) == 0)
        // Both had asked before the first batch went out, so each got its first batches at once.
        for id in ["00000000000000a1", "00000000000000b2"] {
            #expect(pipeline.sink.standardOutput.contains("worker \(id): "), "\(pipeline.sink.standardOutput)")
        }
        for worker in workers { worker.signal() }
    }

    static let badArguments: [(String, [String], String)] = [
        ("ventilator", ["--from", "10", "--to", "5"], "--from 10 is above --to 5"),
        ("ventilator", ["--n", "0"], "--n must be at least 1"),
        ("ventilator", ["--n", "10", "--wait-for-workers", "0"], "--wait-for-workers must be at least 1"),
        ("ventilator", ["--n", "10", "--kernel", "Fib!"], "--kernel 'Fib!': a kernel name is 1 to 32 characters"),
        ("ventilator", ["--n", "1.5"], "'1.5' is not an exact integer"),
        ("ventilator", ["--n", "1e-3"], "not an exact integer (a negative exponent)"),
        ("ventilator", ["--n", "ten"], "'ten' is not an integer; write digits"),
        ("ventilator", ["--n", "2^64"], "is outside the range this option takes, 0 to 18446744073709551615"),
        ("ventilator", ["--n", "10", "--expect", "1e39"], "'1e39' is too large"),
        ("ventilator", ["--n", "10", "--reduce", "avg"], "--reduce 'avg': choose sum, min or max"),
        ("worker", ["--command", "count"], "--command 'count': write NAME=CMDLINE"),
        ("worker", ["--command", "Count=python3 x.py"], "--command 'Count=python3 x.py': a kernel name is"),
        ("worker", ["--command", "count="], "the command line has no program to run"),
        ("worker", ["--command", "count=python3 'x.py"], "the command line has an unclosed ' quote"),
        ("worker", ["--task-timeout", "0"], "--task-timeout must be a positive"),
        ("ventilator", ["--n", "10", "--chunk", "0"], "--chunk must be at least 1"),
        ("ventilator", ["--n", "10", "--tasks", "tcp://127.0.0.1"], "--tasks: 'tcp://127.0.0.1' has no port"),
        ("ventilator", ["--n", "10", "--results", "tcp://localhost:99999"], "--results: 'tcp://localhost:99999': port"),
        (
            "ventilator", ["--n", "10", "--results", "tcp://127.0.0.1:*"],
            "--results: 'tcp://127.0.0.1:*': a '*' port can only be bound"
        ),
        ("ventilator", ["--n", "-5"], "The value '-5' is invalid for '--n <n>'"),
        ("ventilator", [], "give the range"),
        ("ventilator", ["--n", "18446744073709551615", "--chunk", "1"], "at most 268435456 per job"),
        ("sink", ["--results", "udp://x"], "--results: 'udp://x' is not a ZeroMQ endpoint"),
        ("sink", ["--jobs", "-1"], "--jobs must be 0"),
        ("sink", ["--timeout", "soon"], "The value 'soon' is invalid for '--timeout <timeout>'"),
        ("sink", ["--timeout", "0"], "--timeout must be a positive"),
        ("worker", ["--tasks", "inproc://x"], "inproc:// only works inside one process"),
        ("worker", ["--id", "xyz"], "--id 'xyz' is not a non-zero hexadecimal"),
        // Security flags.
        (
            "sink", ["--keys", "/nonexistent/sink.key", "--allow", "/nonexistent/allow"],
            "--keys /nonexistent/sink.key: cannot read the file"
        ),
        ("sink", ["--keys", "/etc/hostname"], "--keys needs --allow"),
        // libzmq's source syntax would bind 0.0.0.0 in plaintext behind a loopback-looking address.
        ("sink", ["--results", "tcp://127.0.0.1:0;0.0.0.0:28101"], "is not one host"),
        ("sink", ["--control", "tcp://127.0.0.1;0.0.0.0:28102"], "is not one host"),
        ("ventilator", ["--n", "10", "--tasks", "tcp://127.0.0.1:0;0.0.0.0:28103"], "is not one host"),
        ("sink", ["--results", "tcp://0.0.0.0:5558"], "--results tcp://0.0.0.0:5558 is reachable from other hosts"),
        ("ventilator", ["--n", "10", "--tasks", "tcp://0.0.0.0:5557", "--dry-run"], "give --keys and --allow"),
        ("ventilator", ["--n", "10", "--allow", "/etc/hostname"], "--allow and --sink-key need --keys"),
        ("worker", ["--keys", "/etc/hostname"], "--keys needs --ventilator-key (the ventilator's public key) and --sink-key"),
        (
            "worker", ["--keys", "/etc/hostname", "--ventilator-key", "x", "--sink-key", "y"],
            "group or others may read it. Run: chmod 600 /etc/hostname"
        ),
        ("keygen", ["a/b"], "cannot be a file name"),
    ]

    @Test(arguments: badArguments)
    func badArgumentsAreUsageErrorsNamingTheFlag(executable: String, arguments: [String], message: String) async throws {
        let process = try RunningProcess(executable, arguments)
        #expect(try await process.waitForExit(timeout: .seconds(60)) == 64)
        #expect(process.standardError.contains(message), "stderr: \(process.standardError)")
    }

    @Test func aTakenPortIsAClearError() async throws {
        let pipeline = try await LivePipeline()
        let second = try RunningProcess("sink", ["--results", pipeline.results, "--control", "tcp://127.0.0.1:*"])
        #expect(try await second.waitForExit(timeout: .seconds(60)) == 1)
        #expect(second.standardError.contains("is another sink running? choose another port with --results"))
        pipeline.sink.signal(SIGINT)
        #expect(try await pipeline.sink.waitForExit(timeout: .seconds(60)) == 1)
        #expect(pipeline.sink.standardError.contains("stopped by signal"))
    }
}
