import Kernels
import TestSupport
import Testing
import Wire

@testable import PipelineCore

/// The sink's per-job record, with plain values: no socket, no file.
@Suite struct JobProgressTests {
    static func announcement(tasks count: UInt64, id: UInt64 = 7) throws -> JobAnnouncement {
        try SampleJob.announcement(tasks: count, id: id)
    }

    static func result(_ task: UInt64, job: UInt64 = 7, worker: UInt64 = 1) throws -> TaskResult {
        try SampleJob.result(task, job: job, worker: worker)
    }

    @Test func eachTaskCountsOnceAndTheTotalIsVerified() throws {
        let job = JobProgress(try Self.announcement(tasks: 100), now: .now)
        for task in (0..<100).reversed() { #expect(job.accept(try Self.result(UInt64(task))) == .accepted) }
        #expect(job.accept(try Self.result(3)) == .duplicate)
        #expect(job.isComplete)
        #expect(job.total == 5050)
        #expect(job.summary(now: .now).outcome == .verified)
        #expect(job.duplicates == 1)
    }

    func job(_ reduction: Reduction, tasks: UInt64, answer: JobAnnouncement.Answer = .none) throws -> JobProgress {
        JobProgress(
            try JobAnnouncement(
                jobID: 7, kernel: KernelName("signed"), reduction: reduction, answer: answer, first: 1, last: tasks, chunk: 1),
            now: .now)
    }

    func value(_ task: UInt64, _ partial: Int128) throws -> TaskResult {
        try TaskResult(jobID: 7, taskID: task, workerID: 1, partial: partial, elementCount: 1, computeNanoseconds: 1)
    }

    @Test(arguments: [(Reduction.sum, Int128(-2)), (.min, -30), (.max, 25)])
    func signedValuesReduceExactlyInAnyOrder(reduction: Reduction, expected: Int128) throws {
        let values: [Int128] = [10, -30, 25, -7]
        for order in [[0, 1, 2, 3], [3, 2, 1, 0], [2, 0, 3, 1]] {
            let job = try job(reduction, tasks: 4, answer: .submitted(expected))
            for index in order { #expect(job.accept(try value(UInt64(index), values[index])) == .accepted) }
            #expect(job.accept(try value(1, 1_000)) == .duplicate)  // a duplicate never changes a min or max either
            #expect(job.total == expected)
            #expect(job.summary(now: .now).outcome == .verified)
        }
    }

    @Test func aSumThatLeavesTheSigned128BitRangeFailsTheJobInsteadOfWrapping() throws {
        let job = try job(.sum, tasks: 3)
        #expect(job.accept(try value(0, .max)) == .accepted)
        #expect(job.accept(try value(1, 1)) == .jobFailed)
        #expect(job.hasEnded)
        #expect(job.total == .max)
        #expect(job.completed == 1)
        let summary = job.summary(now: .now)
        #expect(summary.outcome == .failed)
        #expect(summary.report.reason.contains("overflows the signed 128-bit range at task 1"))
        let negative = try self.job(.sum, tasks: 2)
        #expect(negative.accept(try value(0, .min)) == .accepted)
        #expect(negative.accept(try value(1, -1)) == .jobFailed)
    }

    @Test func aTaskThatFailedOnEveryTryEndsTheJobNamingIt() throws {
        let job = JobProgress(try Self.announcement(tasks: 10), now: .now)
        #expect(job.accept(try Self.result(0)) == .accepted)
        let done = try TaskFailure(workerID: 2, task: RangeTask(jobID: 7, taskID: 0, lo: 1, hi: 1), reason: "late")
        #expect(job.fail(done) == .duplicate)  // task 0 is in: a late failure of it changes nothing
        let wrongRange = try TaskFailure(workerID: 2, task: RangeTask(jobID: 7, taskID: 4, lo: 1, hi: 9), reason: "x")
        if case .rejected = job.fail(wrongRange) {} else { Issue.record("a failure for a range not in the job was taken") }
        #expect(!job.hasEnded)
        let failure = try TaskFailure(
            workerID: 2, task: RangeTask(jobID: 7, taskID: 4, lo: 5, hi: 5), reason: "exited with status 3")
        #expect(job.fail(failure) == .accepted)
        #expect(job.hasEnded)
        let summary = job.summary(now: .now)
        #expect(summary.outcome == .failed)
        #expect(summary.failure == "task 4 [5, 5] failed on worker 0000000000000002: exited with status 3")
    }

    @Test func resultsThatContradictThePlanAreRejected() throws {
        let job = JobProgress(try Self.announcement(tasks: 10), now: .now)
        #expect(job.accept(try Self.result(10)) != .accepted)
        let wrongCount = try TaskResult(jobID: 7, taskID: 1, workerID: 1, partial: 2, elementCount: 2, computeNanoseconds: 0)
        #expect(job.accept(wrongCount) != .accepted)
        #expect(job.rejected == 2)
        #expect(job.completed == 0)
    }

    /// Results replayed in an order that makes more runs than one acknowledgement holds: every task is still
    /// acknowledged exactly once, over as many runs as it takes.
    @Test func moreThanOneAcknowledgementOfOutOfOrderRunsAreKept() throws {
        let count: UInt64 = 20_000
        let job = JobProgress(try Self.announcement(tasks: count), now: .now)
        let evens = stride(from: UInt64(0), to: count, by: 2)
        for task in evens { #expect(job.accept(try Self.result(task)) == .accepted) }
        #expect(job.pendingRuns.count == Int(count / 2))
        #expect(job.pendingRuns.count > Acknowledgement.maxRuns)
        let runs = job.takeRuns()
        #expect(runs.reduce(0) { $0 + UInt64($1.length) } == count / 2)
        #expect(job.pendingRuns.isEmpty)
        var everything: [Acknowledgement.Run] = []
        job.forEachDoneRun { everything.append($0) }
        #expect(everything == runs)
    }

    @Test func doneRunsCoverEveryAggregatedTaskExactly() throws {
        let job = JobProgress(try Self.announcement(tasks: 200), now: .now)
        let done: [UInt64] = [0, 1, 2, 63, 64, 65, 127, 128, 199]
        for task in done { _ = job.accept(try Self.result(task)) }
        var runs: [Acknowledgement.Run] = []
        job.forEachDoneRun { runs.append($0) }
        #expect(
            runs == [
                .init(first: 0, length: 3), .init(first: 63, length: 3), .init(first: 127, length: 2),
                .init(first: 199, length: 1),
            ])
    }

    @Test func aCheckpointRestoresTheWholeJob() throws {
        let job = JobProgress(try Self.announcement(tasks: 1000), now: .now)
        for task in stride(from: UInt64(0), to: 1000, by: 3) { _ = job.accept(try Self.result(task, worker: task % 5)) }
        _ = job.accept(try Self.result(0))
        var bytes: [UInt8] = []
        job.checkpoint(now: .now).encode(into: &bytes)
        let decoded = try bytes.withUnsafeBytes { (raw) throws(JournalCorruption) in try JobCheckpoint(decoding: raw) }
        #expect(decoded.done == job.checkpoint(now: .now).done)
        let restored = JobProgress(decoded, now: .now)
        #expect(restored.completed == job.completed)
        #expect(restored.total == job.total)
        #expect(restored.duplicates == 1)
        #expect(Set(restored.summary(now: .now).workers) == Set(job.summary(now: .now).workers))
        #expect(restored.accept(try Self.result(3)) == .duplicate)
        #expect(restored.accept(try Self.result(1)) == .accepted)
    }

    @Test func restoredWorkIsNotCountedAgainByCountersThatSpanRestarts() throws {
        let job = JobProgress(try Self.announcement(tasks: 10), now: .now)
        for task in 0..<UInt64(4) { _ = job.accept(try Self.result(task)) }
        job.markRestored()
        _ = job.accept(try Self.result(5))
        #expect(job.completed - job.restoredCompleted == 1)
    }
}
