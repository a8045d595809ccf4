import Foundation
import TestSupport
import Testing
import Wire

/// The sink and the ventilator killed, stopped and restarted mid-job, with the real executables: every job
/// still ends with its exact total, and no task counts twice.
@Suite(.timeLimit(.minutes(4)))
struct RecoveryTests {
    /// 10^7 one-element tasks: enough results that a replay holds far more runs than one acknowledgement.
    static let bigJob = ["--n", "10000000", "--chunk", "1", "--redeliver-min", "2"]
    static let bigTotal = "total: 50000005000000"

    static func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UInt64.random(in: 0...UInt64.max))").path
    }

    /// The most tasks the sink's plain progress has said are done.
    static func progress(of sink: RunningProcess) -> Int {
        sink.standardError.split(separator: "\n").filter { $0.hasPrefix("progress: job ") }
            .compactMap { line in line.range(of: "sum: ").flatMap { Int(line[$0.upperBound...].prefix { $0.isNumber }) } }
            .max() ?? 0
    }

    /// Lets the workers compute in bursts of 20 ms, stopped (SIGSTOP) between them, until the sink says at least
    /// `tasks` are done; returns with the workers stopped, so the job is surely mid-way when the test kills a role.
    ///
    /// A burst is timed by a blocking sleep, not by the test's task scheduler, which a loaded machine can hold up
    /// long enough for the whole job to finish.
    static func stopMidJob(_ workers: [RunningProcess], sink: RunningProcess, tasks: Int = 200_000) async throws {
        let deadline = ContinuousClock.now + .seconds(90)
        while ContinuousClock.now < deadline {
            burst(workers, for: 20_000)
            // The sink prints progress every 0.2 s: wait for a line that counts the whole burst.
            try await Task.sleep(for: .milliseconds(300))
            if progress(of: sink) >= tasks { return }
        }
        throw TimedOut(what: "the sink to report \(tasks) tasks done: \(sink.standardError)", after: .seconds(90))
    }

    /// Continues the stopped workers for `microseconds`, runs `during` just before stopping them again.
    static func burst(_ workers: [RunningProcess], for microseconds: UInt32, during: () -> Void = {}) {
        for worker in workers { worker.signal(SIGCONT) }
        usleep(microseconds)
        during()
        for worker in workers { worker.signal(SIGSTOP) }
    }

    /// Fails the test unless the job is still in progress: the killed sink printed no report.
    static func expectJobUnfinished(_ sink: RunningProcess) throws {
        try #require(!sink.standardOutput.contains("total:"), "the job ended before the kill: \(sink.standardOutput)")
    }

    static func sinkArguments(_ pipeline: LivePipeline, journal: String) -> [String] {
        [
            "--results", pipeline.results, "--control", pipeline.control, "--journal", journal, "--progress", "plain",
            "--progress-interval", "0.2",
        ]
    }

    /// Expects the ventilator to exit 0 having printed the big job's exact total, verified.
    static func expectExactVerifiedTotal(_ ventilator: RunningProcess) async throws {
        #expect(
            try await ventilator.waitForExit(timeout: .seconds(180)) == 0,
            "\(ventilator.standardOutput)\(ventilator.standardError)")
        #expect(ventilator.standardOutput.contains(bigTotal), "\(ventilator.standardOutput)")
        #expect(ventilator.standardOutput.contains("verified: yes"), "\(ventilator.standardOutput)")
    }

    /// A sink journaling to a new file with a progress line every 0.2 s, the big job's ventilator, and two workers.
    static func journaledJob() async throws -> (
        journal: String, pipeline: LivePipeline, ventilator: RunningProcess, workers: [RunningProcess]
    ) {
        let journal = temporaryPath("sink.journal")
        let pipeline = try await LivePipeline(sinkArguments: [
            "--journal", journal, "--progress", "plain", "--progress-interval", "0.2",
        ])
        let (ventilator, tasks) = try await pipeline.ventilator(bigJob)
        let workers = try Self.stoppedWorkers(pipeline, tasks: tasks)
        return (journal, pipeline, ventilator, workers)
    }

    /// Two workers, stopped (SIGSTOP) as soon as they start: ``stopMidJob(_:sink:tasks:)`` lets them run.
    static func stoppedWorkers(_ pipeline: LivePipeline, tasks: String) throws -> [RunningProcess] {
        try (0..<2).map { _ in
            let worker = try pipeline.worker(tasks: [tasks])
            worker.signal(SIGSTOP)
            return worker
        }
    }

    /// Continues the stopped workers and ends them with SIGTERM.
    static func end(_ workers: [RunningProcess]) {
        for worker in workers {
            worker.signal(SIGCONT)
            worker.signal()
        }
    }

    /// The size of the journal, sampled until `done` says stop; returns the largest seen.
    static func largestSize(of path: String, until done: @escaping @Sendable () -> Bool) -> Task<Int, Never> {
        Task.detached {
            var largest = 0
            while !done() {
                let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
                largest = max(largest, size)
                try? await Task.sleep(for: .milliseconds(5))
            }
            return largest
        }
    }

    @Test func aSinkKilledAtARandomMomentResumesFromItsJournalWithTheExactTotal() async throws {
        let (journal, pipeline, ventilator, workers) = try await Self.journaledJob()
        defer { try? FileManager.default.removeItem(atPath: journal) }
        let sizes = Self.largestSize(of: journal) { !ventilator.isRunning }
        try await Self.stopMidJob(workers, sink: pipeline.sink)
        // Killed at a random moment while results flow in.
        Self.burst(workers, for: .random(in: 0...20_000)) { pipeline.sink.signal(SIGKILL) }
        _ = try await pipeline.sink.waitForExit(timeout: .seconds(60))
        try Self.expectJobUnfinished(pipeline.sink)
        let restarted = try RunningProcess("sink", Self.sinkArguments(pipeline, journal: journal))
        for worker in workers { worker.signal(SIGCONT) }

        try await Self.expectExactVerifiedTotal(ventilator)
        #expect(try await restarted.waitForExit() == 0, "\(restarted.standardError)")
        #expect(restarted.standardError.contains("resumed 1 job(s)"), "\(restarted.standardError)")
        #expect(restarted.standardOutput.contains("tasks: 10000000/10000000"), "\(restarted.standardOutput)")
        let largest = await sizes.value
        #expect(largest <= 8 << 20, "the journal reached \(largest) bytes")
        Self.end(workers)
    }

    @Test func aVentilatorKilledMidJobIsResumedByItsPrintedCommandAndRedoesLittle() async throws {
        let pipeline = try await LivePipeline(sinkArguments: ["--progress", "plain", "--progress-interval", "0.2"])
        let (ventilator, tasks) = try await pipeline.ventilator(Self.bigJob)
        let workers = try Self.stoppedWorkers(pipeline, tasks: tasks)
        let command = try await ventilator.waitForErrorLine(startingWith: "ventilator: job ")
        try await Self.stopMidJob(workers, sink: pipeline.sink)
        ventilator.signal(SIGKILL)
        _ = try await ventilator.waitForExit(timeout: .seconds(60))
        try Self.expectJobUnfinished(pipeline.sink)

        let resumed = try RunningProcess("ventilator", try Self.arguments(ofResumeLine: command))
        for worker in workers { worker.signal(SIGCONT) }
        try await Self.expectExactVerifiedTotal(resumed)
        let done = number(after: "the sink already has ", in: resumed.standardError) ?? 0
        #expect(done > 0, "\(resumed.standardError)")
        #expect(try await pipeline.sink.waitForExit() == 0)
        // Redone work is what was in flight when the first ventilator died: at most its window.
        let duplicates = number(after: "duplicates: ", in: pipeline.sink.standardOutput) ?? .max
        #expect(duplicates <= 65_536, "\(pipeline.sink.standardOutput)")
        Self.end(workers)
    }

    @Test func theSinkAndTheVentilatorBothKilledInOneJobStillGiveTheExactTotal() async throws {
        let (journal, pipeline, ventilator, workers) = try await Self.journaledJob()
        defer { try? FileManager.default.removeItem(atPath: journal) }
        let command = try await ventilator.waitForErrorLine(startingWith: "ventilator: job ")
        try await Self.stopMidJob(workers, sink: pipeline.sink)
        pipeline.sink.signal(SIGKILL)
        ventilator.signal(SIGKILL)
        _ = try await pipeline.sink.waitForExit(timeout: .seconds(60))
        _ = try await ventilator.waitForExit(timeout: .seconds(60))
        try Self.expectJobUnfinished(pipeline.sink)
        let sink = try RunningProcess("sink", Self.sinkArguments(pipeline, journal: journal))
        let resumed = try RunningProcess("ventilator", try Self.arguments(ofResumeLine: command))
        for worker in workers { worker.signal(SIGCONT) }

        try await Self.expectExactVerifiedTotal(resumed)
        #expect(try await sink.waitForExit() == 0, "\(sink.standardError)")
        #expect(sink.standardOutput.contains("tasks: 10000000/10000000"), "\(sink.standardOutput)")
        Self.end(workers)
    }

    /// A restart as systemd does it (SIGTERM, then start again): the journaled sink pauses the job instead of
    /// failing it, the ventilator waits and goes on, and the ended job stays ended on the next restart.
    @Test func aJournaledSinkStoppedWithSIGTERMPausesAndTheJobGoesOn() async throws {
        let (journal, pipeline, ventilator, workers) = try await Self.journaledJob()
        defer { try? FileManager.default.removeItem(atPath: journal) }
        try await Self.stopMidJob(workers, sink: pipeline.sink)
        pipeline.sink.signal(SIGTERM)
        #expect(try await pipeline.sink.waitForExit(timeout: .seconds(60)) == 0, "\(pipeline.sink.standardError)")
        #expect(pipeline.sink.standardError.contains("paused"), "\(pipeline.sink.standardError)")
        #expect(!pipeline.sink.standardOutput.contains("FAILED"), "\(pipeline.sink.standardOutput)")
        let restarted = try RunningProcess("sink", Self.sinkArguments(pipeline, journal: journal))
        for worker in workers { worker.signal(SIGCONT) }

        try await Self.expectExactVerifiedTotal(ventilator)
        #expect(try await restarted.waitForExit() == 0, "\(restarted.standardError)")

        // Started once more, the sink knows the job ended: it neither resumes nor reports it again.
        let again = try RunningProcess("sink", Self.sinkArguments(pipeline, journal: journal) + ["--jobs", "0"])
        try await waitForLog(again, containing: "1 ended job(s) stay ended")
        #expect(again.standardError.contains("resumed 0 job(s)"), "\(again.standardError)")
        again.signal(SIGTERM)
        #expect(try await again.waitForExit(timeout: .seconds(60)) == 0)
        #expect(again.standardOutput.isEmpty, "\(again.standardOutput)")
        Self.end(workers)
    }

    /// The words of the command a ventilator printed to resume its job, less the program.
    static func arguments(ofResumeLine line: String) throws -> [String] {
        let marker = "resume the job with: "
        let command = try #require(line.range(of: marker).map { line[$0.upperBound...] })
        let words = command.split(separator: " ").map(String.init)
        #expect(words.allSatisfy { !$0.hasPrefix("'") }, "expected no quoting in \(command)")
        return Array(words.dropFirst())
    }
}
