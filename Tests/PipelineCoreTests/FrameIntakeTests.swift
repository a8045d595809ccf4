import Testing
import Wire

@testable import PipelineCore

/// The sink's hot path, a frame's results counted in one tight loop, leaves a job exactly as its results taken one by
/// one do: totals, every verdict, workers' statistics, acknowledgement runs, checks and what the journal keeps.
@Suite struct FrameIntakeTests {
    func job(
        first: UInt64 = 1, last: UInt64, chunk: UInt64 = 1, fraction: Double = 0, reduction: Reduction = .sum
    ) throws -> JobProgress {
        JobProgress(
            try JobAnnouncement(
                jobID: 7, kernel: KernelName("sum"), reduction: reduction, first: first, last: last, chunk: chunk,
                crossChecks: CrossCheckPlan(fraction: fraction, salt: 99)),
            now: .now)
    }

    func result(_ task: UInt64, from worker: UInt64, value: Int128? = nil, elements: UInt64 = 1) throws -> TaskResult {
        try TaskResult(
            jobID: 7, taskID: task, workerID: worker, partial: value ?? Int128(task + 1), elementCount: elements,
            computeNanoseconds: 3)
    }

    /// Feeds `frames` to one job whole, through encoded frames (lists when they mix workers), and to another one result
    /// at a time; expects the same.
    @discardableResult
    func expectSameOutcome(_ make: () throws -> JobProgress, _ frames: [[TaskResult]]) throws -> JobProgress {
        let (whole, one) = (try make(), try make())
        var kept: [TaskResult] = []
        var others: [JobProgress.Verdict] = []
        var expectedKept: [TaskResult] = []
        var expectedOthers: [JobProgress.Verdict] = []
        for frame in frames {
            if Set(frame.map(\.workerID)).count > 1 {
                whole.accept(frame, keep: true, into: &kept) { others.append($1) }  // a list of several workers' results
            } else {
                let bytes = try ResultBatch(frame).encoded()
                try bytes.withUnsafeBytes { raw in
                    whole.accept(frame: try ResultBatchFrame(raw), keep: true, into: &kept) { others.append($1) }
                }
            }
            for result in frame {
                switch one.accept(result) {
                case .accepted, .held: expectedKept.append(result)
                case let verdict: expectedOthers.append(verdict)
                }
            }
            #expect(whole.pendingRuns == one.pendingRuns)
        }
        #expect(kept == expectedKept)
        #expect(others == expectedOthers)
        #expect(whole.completed == one.completed && whole.total == one.total && whole.failure == one.failure)
        #expect(whole.duplicates == one.duplicates && whole.rejected == one.rejected)
        #expect(whole.workers == one.workers)
        #expect(whole.checkpoint(now: .now).checks == one.checkpoint(now: .now).checks)
        #expect(whole.checkpoint(now: .now).done == one.checkpoint(now: .now).done)
        return whole
    }

    @Test func newTasksDuplicatesAndRejectsOfAJobWithoutChecks() throws {
        // 1000 values in tasks of 3: the last task holds one element.
        let make = { try job(last: 1000, chunk: 3) }
        func value(_ task: UInt64) -> Int128 { Int128(task) * 3 + 1 }
        try expectSameOutcome(
            make,
            [
                try (0..<100).map { try result($0, from: 1, value: value($0), elements: 3) },
                // A duplicate mid-frame, a task beyond the job, a wrong element count, tasks out of order.
                try [50, 100, 101, 400, 102, 7, 104, 103].map {
                    try result($0, from: 2, value: value($0), elements: $0 == 102 ? 2 : 3)
                },
                // The last task, which holds one element, and a claim of three for it.
                try [333, 332, 333].map { try result($0, from: 1, value: value($0), elements: $0 == 333 ? 1 : 3) },
                try [331].map { try result($0, from: 3, value: value($0), elements: 3) },
            ])
    }

    @Test func aListOfSeveralWorkersResults() throws {
        try expectSameOutcome(
            { try job(last: 100, fraction: 0.1) },
            [
                try (0..<40).map { try result($0, from: UInt64(1 + $0 / 10 % 2)) },
                try (0..<100).map { try result($0, from: 3) },
                try (40..<100).map { try result($0, from: UInt64(1 + $0 % 2)) },
            ])
    }

    @Test func aSumThatOverflowsFailsTheJobAtTheSameResult() throws {
        try expectSameOutcome(
            { try job(last: 10) },
            [
                try [0, 1].map { try result($0, from: 1, value: .max / 2) },
                try [2, 3, 4].map { try result($0, from: 1, value: .max / 2) },
            ])
    }

    @Test func minAndMaxJobsWithAndWithoutChecks() throws {
        for (reduction, fraction) in [(Reduction.min, 0.0), (.max, 0), (.min, 0.1), (.max, 0.1)] {
            try expectSameOutcome(
                { try job(last: 50, fraction: fraction, reduction: reduction) },
                [
                    try (0..<30).map { try result($0, from: 1, value: Int128($0 % 7)) },
                    try (20..<50).map { try result($0, from: 2) },
                ])
        }
    }

    @Test func checksProbationAndAWrongWorkersQuarantine() throws {
        var frames: [[TaskResult]] = []
        for start in stride(from: UInt64(0), to: 600, by: 60) {
            // Worker 1 is wrong on every 13th task.
            frames.append(try (start..<start + 60).map { try result($0, from: 1, value: $0 % 13 == 5 ? -1 : nil) })
            frames.append(try (start..<start + 60).reversed().map { try result($0, from: 2) })
            frames.append(try (start..<start + 60).map { try result($0, from: 3) } + [try result(start, from: 3)])
        }
        // Everything again from worker 2, so the tasks taken back from worker 1 and the open checks count.
        frames.append(try (0..<600).map { try result($0, from: 2) })
        frames.append(try (0..<600).map { try result($0, from: 3) })
        let checked = try expectSameOutcome({ try job(last: 600, fraction: 0.1) }, frames)
        #expect(checked.crossCheckSummary?.quarantined.map(\.workerID) == [1])
        #expect(checked.isComplete && checked.total == 600 * 601 / 2)
    }
}
