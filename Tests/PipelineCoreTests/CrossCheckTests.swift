import Testing
import Wire

@testable import PipelineCore

/// Cross-checks at the sink, with plain values: agreement, tie-breaks, quarantine, waivers and checkpoints.
@Suite struct CrossCheckTests {
    /// Tasks 0..<count over [1, count], one element each: task t's right value is t + 1.
    func job(tasks count: UInt64, fraction: Double, reduction: Reduction = .sum) throws -> JobProgress {
        JobProgress(
            try JobAnnouncement(
                jobID: 7, kernel: KernelName("sum"), reduction: reduction, first: 1, last: count, chunk: 1,
                crossChecks: CrossCheckPlan(fraction: fraction, salt: 42)),
            now: .now)
    }

    func result(_ task: UInt64, from worker: UInt64, wrong: Bool = false) throws -> TaskResult {
        try TaskResult(
            jobID: 7, taskID: task, workerID: worker, partial: Int128(task + 1) + (wrong ? 1000 : 0), elementCount: 1,
            computeNanoseconds: 1)
    }

    /// A frame's results taken together (the sink's hot path gathers those counted alone into runs) leave the job in
    /// the state they leave one at a time: probation, checks, a wrong worker's quarantine, duplicates and all.
    @Test func aFrameTakenWholeDecidesAsItsResultsOneByOne() throws {
        let (one, whole) = (try job(tasks: 400, fraction: 0.2), try job(tasks: 400, fraction: 0.2))
        var frames: [[TaskResult]] = []
        for start in stride(from: UInt64(0), to: 400, by: 50) {
            frames.append(try (start..<start + 50).map { try result($0, from: 1, wrong: $0 == 0) })
            frames.append(try (start..<start + 50).map { try result($0, from: 2) })
            frames.append(try (start..<start + 50).map { try result($0, from: 3) } + [try result(start, from: 3)])
        }
        var kept: [TaskResult] = []
        var others: [JobProgress.Verdict] = []
        var expectedKept: [TaskResult] = []
        var expectedOthers: [JobProgress.Verdict] = []
        for frame in frames {
            whole.accept(frame, keep: true, into: &kept) { others.append($1) }
            for result in frame {
                switch one.accept(result) {
                case .accepted, .held: expectedKept.append(result)
                case let verdict: expectedOthers.append(verdict)
                }
            }
        }
        #expect(kept == expectedKept && others == expectedOthers)
        #expect(whole.checkpoint(now: .now).checks == one.checkpoint(now: .now).checks)
        #expect(whole.completed == one.completed && whole.total == one.total && whole.duplicates == one.duplicates)
        #expect(whole.crossCheckSummary?.quarantined.map(\.workerID) == [1])
        #expect(whole.crossCheckSummary == one.crossCheckSummary)
    }

    @Test func aCheckedTaskCountsOnceTwoWorkersAgree() throws {
        let job = try job(tasks: 2, fraction: 1)
        #expect(job.accept(try result(0, from: 1)) == .held)
        #expect(job.completed == 0 && job.pendingRuns.map(\.first) == [0])  // received: acknowledged, not counted
        #expect(job.accept(try result(0, from: 1)) == .duplicate)
        let requests = job.takeRecomputeRequests(now: .now)
        #expect(requests.map(\.excluded) == [[1]] && requests.map(\.quarantine) == [false])
        #expect(requests.first?.runs == [.init(first: 0, length: 1)])
        #expect(job.accept(try result(0, from: 2)) == .accepted)
        #expect(job.accept(try result(0, from: 3)) == .duplicate)
        #expect(job.accept(try result(1, from: 2)) == .held)
        #expect(job.accept(try result(1, from: 1)) == .accepted)
        #expect(job.isComplete && job.total == 3)
        let summary = job.summary(now: .now)
        #expect(summary.outcome == .crossChecked)
        #expect(summary.crossChecks?.agreed == 2 && summary.crossChecks?.disagreements == 0)
        #expect(summary.report.reason.contains("no disagreement"))
    }

    /// The sink wakes for the next round of requests only while one is needed: a check opened and not yet asked for,
    /// or nothing left but open checks (the job's end, which may give them up); not for a check whose request went out.
    @Test func theNextRoundIsAwaitedOnlyWhileARequestIsPendingOrOnlyChecksAreLeft() throws {
        let job = try job(tasks: 3, fraction: 1e-9)  // each worker's first 4 results are checked
        #expect(!job.awaitsCrossChecks)
        #expect(job.accept(try result(0, from: 1)) == .held)
        #expect(job.awaitsCrossChecks)  // its request waits for the round
        #expect(job.takeRecomputeRequests(now: .now).count == 1)
        #expect(!job.awaitsCrossChecks)  // asked for: its result, or its repeat seconds later, is not a round away
        #expect(job.accept(try result(1, from: 1)) == .held)
        _ = job.takeRecomputeRequests(now: .now)
        #expect(job.accept(try result(2, from: 2)) == .held)
        #expect(job.accept(try result(0, from: 2)) == .accepted)
        _ = job.takeRecomputeRequests(now: .now)
        #expect(job.accept(try result(1, from: 2)) == .accepted)
        #expect(job.awaitsCrossChecks)  // only task 2's check is left: the job's end waits on it
        #expect(job.accept(try result(2, from: 1)) == .accepted)
        #expect(job.isComplete && !job.awaitsCrossChecks)
    }

    /// Worker 1 is wrong on task 0. Workers 2 and 3 outvote it; everything it counted alone is taken back and
    /// recomputed by others, and the total comes out right.
    @Test func theMinorityIsQuarantinedAndWhatItCountedAloneIsRecomputed() throws {
        let job = try job(tasks: 12, fraction: 0)  // off: only each worker's first 4 results are checked
        #expect(job.checks == nil)
        let checked = try self.job(tasks: 12, fraction: 1e-9)
        for task in UInt64(0)...3 { #expect(checked.accept(try result(task, from: 1, wrong: task == 0)) == .held) }
        for task in UInt64(4)...9 { #expect(checked.accept(try result(task, from: 1)) == .accepted) }
        #expect(checked.completed == 6)
        for task in UInt64(0)...3 { _ = checked.accept(try result(task, from: 2)) }
        #expect(checked.completed == 9)  // tasks 1-3 agreed; task 0 is disputed
        let tieBreak = checked.takeRecomputeRequests(now: .now).first { $0.excluded.count == 2 }
        #expect(tieBreak?.excluded == [1, 2] && tieBreak?.runs == [.init(first: 0, length: 1)])
        #expect(checked.accept(try result(0, from: 3)) == .accepted)
        // Worker 1 is out: tasks 4-9, counted from it alone, are taken back.
        #expect(checked.completed == 4)
        #expect(checked.total == 1 + 2 + 3 + 4)
        let retraction = checked.takeRecomputeRequests(now: .now).first { $0.quarantine }
        #expect(retraction?.excluded == [1] && retraction?.runs == [.init(first: 4, length: 6)])
        #expect(checked.takeNewQuarantines().map(\.workerID) == [1])
        #expect(checked.accept(try result(10, from: 1)) == .quarantined)
        // Worker 2's probation is over: what it computes now counts from it alone.
        for task in UInt64(4)...11 { #expect(checked.accept(try result(task, from: 2)) == .accepted) }
        #expect(checked.isComplete && checked.total == 78)
        let summary = checked.summary(now: .now)
        #expect(summary.outcome == .crossChecked)
        #expect(summary.crossChecks?.quarantined.map(\.workerID) == [1])
        #expect(summary.crossChecks?.quarantined.first?.retracted == 6)
        #expect(summary.crossChecks?.disagreements == 1)
        #expect(summary.workers.reduce(0) { $0 + $1.tasks } == 12)
    }

    @Test(arguments: [Reduction.min, .max])
    func aQuarantinedWorkersMinimumOrMaximumLeavesTheTotal(reduction: Reduction) throws {
        let job = try job(tasks: 10, fraction: 1e-9, reduction: reduction)
        for task in UInt64(0)...3 { _ = job.accept(try result(task, from: 1, wrong: task == 0)) }
        // Alone, worker 1 reports values far outside the others': they must not survive its quarantine.
        for task in UInt64(4)...5 {
            let extreme = try TaskResult(
                jobID: 7, taskID: task, workerID: 1, partial: reduction == .min ? -999 : 999, elementCount: 1,
                computeNanoseconds: 1)
            #expect(job.accept(extreme) == .accepted)
        }
        for task in UInt64(0)...3 { _ = job.accept(try result(task, from: 2)) }
        _ = job.accept(try result(0, from: 3))
        for task in UInt64(4)...9 { _ = job.accept(try result(task, from: 2)) }
        #expect(job.isComplete)
        #expect(job.total == (reduction == .min ? 1 : 10))
    }

    @Test func eightWorkersThatAllDisagreeFailTheJob() throws {
        let job = try job(tasks: 1, fraction: 1)
        for worker in UInt64(1)...7 {
            let value = try TaskResult(
                jobID: 7, taskID: 0, workerID: worker, partial: Int128(worker), elementCount: 1, computeNanoseconds: 1)
            #expect(job.accept(value) == .held)
        }
        let last = try TaskResult(jobID: 7, taskID: 0, workerID: 8, partial: 8, elementCount: 1, computeNanoseconds: 1)
        #expect(job.accept(last) == .jobFailed)
        #expect(job.failure?.contains("8 workers disagree") == true)
    }

    @Test func withOneWorkerTheChecksAreGivenUpAndSaidSo() throws {
        let job = try job(tasks: 3, fraction: 1)
        for task in UInt64(0)..<3 { #expect(job.accept(try result(task, from: 1)) == .held) }
        #expect(job.waiveLoneChecks(now: .now) == 0)  // the ventilator has not said how many workers it has
        job.dispatchStatus = DispatchStatus(jobID: 7, dispatched: 3, reissued: 0, workers: 1, able: 1)
        #expect(job.waiveLoneChecks(now: .now) == 3)  // no second worker was ever seen: at once
        #expect(job.isComplete && job.total == 6)
        let summary = job.summary(now: .now)
        #expect(summary.outcome == .unverifiable)
        #expect(summary.crossChecks?.waived == 3)
        #expect(summary.report.reason.contains("could not be made"))
        // While the ventilator says so, the first few checks wait (a second worker may be a moment behind the first);
        // a new check past those is given up at once instead of piling up.
        let held = UInt64(CrossChecks.heldWhileLone)
        let next = try self.job(tasks: held + 1, fraction: 1)
        next.dispatchStatus = DispatchStatus(jobID: 7, dispatched: 2, reissued: 0, workers: 1, able: 1)
        for task in 0..<held { #expect(next.accept(try result(task, from: 1)) == .held) }
        #expect(next.accept(try result(held, from: 1)) == .accepted)
        #expect(next.crossCheckSummary?.waived == 1 && next.checks?.open.count == CrossChecks.heldWhileLone)
        // A second worker joins: the held checks are made.
        next.dispatchStatus = DispatchStatus(jobID: 7, dispatched: 2, reissued: 0, workers: 2, able: 2)
        for task in 0..<held { #expect(next.accept(try result(task, from: 2)) == .accepted) }
        #expect(next.isComplete && next.crossCheckSummary?.agreed == held)
        // Checks given up are in the checkpoint: a worker quarantined later has them taken back too.
        for copy in [job, next] {
            var buffer: [UInt8] = []
            copy.checkpoint(now: .now).encode(into: &buffer)
            let decoded = try buffer.withUnsafeBytes { bytes in try JobCheckpoint(decoding: bytes) }
            #expect(decoded.checks == copy.checks && decoded.checks?.ledgers.first?.waived.isEmpty == false)
        }
    }

    /// Requests that no connected worker may take wait, up to a bound; the sink repeats what was dropped.
    @Test func theVentilatorsQueueOfRequestedTasksIsBounded() throws {
        var queue = RecomputeQueue()
        let request = try RecomputeRequest(
            jobID: 7, excluded: [1], runs: [.init(first: 0, length: UInt32(RecomputeQueue.capacity))])
        queue.add(request, taskCount: RecomputeQueue.capacity * 2)
        let more = try RecomputeRequest(
            jobID: 7, excluded: [1], runs: [.init(first: RecomputeQueue.capacity, length: 1)])
        queue.add(more, taskCount: RecomputeQueue.capacity * 2)
        #expect(queue.take(limit: 10, for: 1).isEmpty)  // excluded
        #expect(queue.take(limit: 10, for: 2) == Array(0..<10))
        queue.add(more, taskCount: RecomputeQueue.capacity * 2)  // room for it now
        var taken = 10
        while case let ids = queue.take(limit: 1024, for: 2), !ids.isEmpty { taken += ids.count }
        #expect(UInt64(taken) == RecomputeQueue.capacity + 1)
    }

    /// A tie-break excludes every worker that answered; a request repeated while its tasks wait queues nothing more,
    /// and one that overlaps tasks still waiting queues only the others, apart, with its own exclusions.
    @Test func requestedTasksGoOnlyToWorkersTheRequestDoesNotExclude() throws {
        var queue = RecomputeQueue()
        let tieBreak = try RecomputeRequest(jobID: 7, excluded: [5, 3], runs: [.init(first: 40, length: 2)])
        queue.add(tieBreak, taskCount: 100)
        queue.add(try RecomputeRequest(jobID: 7, excluded: [3, 5], runs: [.init(first: 40, length: 2)]), taskCount: 100)
        queue.add(try RecomputeRequest(jobID: 7, excluded: [3], runs: [.init(first: 60, length: 1)]), taskCount: 100)
        #expect(queue.take(limit: 10, for: 3).isEmpty)
        #expect(queue.take(limit: 10, for: 5) == [60])
        #expect(queue.take(limit: 10, for: 7) == [40, 41])
        #expect(queue.isEmpty)
        queue.add(tieBreak, taskCount: 100)  // sent, so a repeat is queued again
        let overlapping = try RecomputeRequest(
            jobID: 7, excluded: [9], runs: [.init(first: 39, length: 4), .init(first: 99, length: 5)])
        queue.add(overlapping, taskCount: 100)
        #expect(queue.take(limit: 10, for: 5) == [39, 42, 99])  // 40 and 41 exclude 5; nothing past the job's tasks
        #expect(queue.take(limit: 1, for: 9) == [40])
        queue.add(tieBreak, taskCount: 100)  // 41 still waits; 40 is queued again
        #expect(queue.take(limit: 10, for: 9) == [41, 40])
        #expect(queue.isEmpty)
    }

    /// A second worker whose results reached the sink may come back: its checks wait before they are given up. One
    /// whose results never arrived (misrouted, say) is not waited for.
    @Test func afterASecondWorkerLeftChecksWaitBeforeTheyAreGivenUp() throws {
        let job = try job(tasks: 2, fraction: 1)
        let start = ContinuousClock.now
        _ = job.accept(try result(0, from: 1))
        _ = job.accept(try result(1, from: 2))
        job.dispatchStatus = DispatchStatus(jobID: 7, dispatched: 2, reissued: 0, workers: 1, able: 1)
        #expect(job.waiveLoneChecks(now: start + .seconds(1)) == 0)
        #expect(job.waiveLoneChecks(now: start + .seconds(3)) == 0)
        #expect(job.waiveLoneChecks(now: start + .seconds(1) + CrossChecks.loneWait) == 2)
        #expect(job.isComplete)
    }

    /// A second worker the ventilator counts as able, whose results never reach the sink (they go to another sink;
    /// its computations of requested tasks are lost and nobody tracks them): the checks wait ``CrossChecks/loneWait``
    /// once nothing else is left, then are given up, so the job ends.
    @Test func aSecondWorkerThatNeverDeliversIsWaitedForOnlySoLong() throws {
        let job = try job(tasks: 2, fraction: 1)
        let start = ContinuousClock.now
        _ = job.accept(try result(0, from: 1))
        job.dispatchStatus = DispatchStatus(jobID: 7, dispatched: 2, reissued: 0, workers: 2, able: 2)
        #expect(job.waiveLoneChecks(now: start) == 0)  // task 1 is not in yet
        _ = job.accept(try result(1, from: 1))
        #expect(job.waiveLoneChecks(now: start + .seconds(1)) == 0)
        #expect(job.waiveLoneChecks(now: start + .seconds(1) + CrossChecks.loneWait) == 2)
        #expect(job.isComplete && job.total == 3)
        // Once a second worker's results did reach the sink, its checks are waited for as long as it can run the job.
        let other = try self.job(tasks: 3, fraction: 1)
        for task in UInt64(0)..<2 { _ = other.accept(try result(task, from: 1)) }
        _ = other.accept(try result(2, from: 2))
        other.dispatchStatus = DispatchStatus(jobID: 7, dispatched: 3, reissued: 0, workers: 2, able: 2)
        #expect(other.waiveLoneChecks(now: start) == 0)
        #expect(other.waiveLoneChecks(now: start + .seconds(60)) == 0)
    }

    @Test func aRequestIsRepeatedUntilItsResultsCome() throws {
        let job = try job(tasks: 1, fraction: 1)
        let start = ContinuousClock.now
        _ = job.accept(try result(0, from: 1))
        #expect(job.takeRecomputeRequests(now: start).count == 1)
        #expect(job.takeRecomputeRequests(now: start + .seconds(1)).isEmpty)
        #expect(job.takeRecomputeRequests(now: start + CrossChecks.firstRepeat + .milliseconds(1)).count == 1)
        _ = job.accept(try result(0, from: 2))
        #expect(job.takeRecomputeRequests(now: start + .seconds(60)).isEmpty)
    }

    /// A check opened after a round of requests is scheduled as it opens: the next round asks for it once, and it is
    /// asked for again only after ``CrossChecks/firstRepeat``, like one the table's scan found.
    @Test func aCheckOpenedBetweenRoundsIsAskedForOnceThenRepeatedOnSchedule() throws {
        let job = try job(tasks: 3, fraction: 1)
        let start = ContinuousClock.now
        #expect(job.takeRecomputeRequests(now: start).isEmpty)
        _ = job.accept(try result(0, from: 1))
        _ = job.accept(try result(1, from: 2))
        let first = job.takeRecomputeRequests(now: start + .milliseconds(10))
        #expect(first.map(\.excluded).sorted { $0.lexicographicallyPrecedes($1) } == [[1], [2]])
        #expect(job.takeRecomputeRequests(now: start + .milliseconds(600)).isEmpty)  // a scan: both are scheduled
        #expect(job.accept(try result(0, from: 2)) == .accepted)  // agreed: closed
        let repeated = job.takeRecomputeRequests(now: start + CrossChecks.firstRepeat + .milliseconds(20))
        #expect(repeated.map(\.excluded) == [[2]] && repeated.first?.runs == [.init(first: 1, length: 1)])
    }

    /// A task a worker's probation opened (the plan does not cover it) still waits for agreement when a worker past its
    /// own probation delivers it next; a task neither opened nor covered counts alone.
    @Test func aProbationCheckNeedsAgreementWhoeverDeliversItNext() throws {
        let job = try job(tasks: 20, fraction: 1e-9)
        for task in UInt64(10)..<14 { #expect(job.accept(try result(task, from: 2)) == .held) }
        for task in UInt64(0)..<4 { #expect(job.accept(try result(task, from: 1)) == .held) }
        var kept: [TaskResult] = []
        job.accept([try result(4, from: 1), try result(10, from: 1), try result(5, from: 1)], keep: true, into: &kept) {
            _, _ in
        }
        #expect(kept.count == 3 && job.completed == 3)
        #expect(job.crossCheckSummary?.agreed == 1)
        #expect(job.tally.checks.needsAgreement(11) && !job.tally.checks.needsAgreement(6))
    }

    /// Hundreds of workers, each on probation at first, frames taken whole, and requests answered by another worker
    /// between frames, one round in four lost: every check opened is asked for (again) and closed, and the job
    /// completes with the exact total.
    @Test func everyCheckOfAJobWithHundredsOfWorkersIsAskedForAndClosed() throws {
        let tasks: UInt64 = 40_000
        let job = try job(tasks: tasks, fraction: 0.05)
        var now = ContinuousClock.now
        var kept: [TaskResult] = []
        var rounds = 0
        func answer() throws {
            now += .milliseconds(10)
            let requests = job.takeRecomputeRequests(now: now)
            guard rounds % 4 != 0 else { return }  // lost on the way: only a repeat brings these checks' results
            for request in requests {
                let other = (1...UInt64(300)).first { !request.excluded.contains($0) } ?? 0
                let answers = try request.runs.flatMap { run in
                    try (run.first..<run.first + UInt64(run.length)).map { try result($0, from: other) }
                }
                job.accept(answers, keep: false, into: &kept) { _, _ in }
            }
        }
        var start: UInt64 = 0
        var worker: UInt64 = 1
        while start < tasks {
            let frame = try (start..<min(tasks, start + 64)).map { try result($0, from: worker) }
            job.accept(frame, keep: false, into: &kept) { _, _ in }
            start += 64
            worker = worker % 300 + 1
            rounds += 1
            if rounds % 3 == 0 { try answer() }
        }
        while !job.isComplete && rounds < 10_000 {
            try answer()
            now += CrossChecks.firstRepeat
            rounds += 1
        }
        let open = job.tally.checks.open.count
        #expect(job.isComplete && open == 0, "\(job.completed) of \(tasks) tasks in; \(open) checks open")
        #expect(job.total == Int128(tasks) * Int128(tasks + 1) / 2)
    }

    /// A checkpoint holds the cross-checks whole: a sink restarted from it decides exactly as the first would have.
    @Test func aCheckpointKeepsTheCrossChecks() throws {
        let job = try job(tasks: 12, fraction: 0.25)
        for task in UInt64(0)...9 { _ = job.accept(try result(task, from: 1, wrong: task == 0)) }
        for task in UInt64(0)...3 { _ = job.accept(try result(task, from: 2)) }
        var buffer: [UInt8] = []
        job.checkpoint(now: .now).encode(into: &buffer)
        let decoded = try buffer.withUnsafeBytes { bytes in try JobCheckpoint(decoding: bytes) }
        #expect(decoded.checks == job.checks && decoded.checks != nil)
        let restored = JobProgress(decoded, now: .now)
        for copy in [job, restored] {
            _ = copy.accept(try result(0, from: 3))
            for task in UInt64(0)...11 { _ = copy.accept(try result(task, from: 2)) }
            for task in UInt64(0)...11 { _ = copy.accept(try result(task, from: 3)) }
        }
        #expect(restored.isComplete && job.isComplete)
        #expect(restored.total == 78 && job.total == 78)
        #expect(restored.crossCheckSummary == job.crossCheckSummary)
        // A cut-short section is refused, never read past its end.
        let cut = Array(buffer.dropLast(3))
        #expect(throws: JournalCorruption.self) { try cut.withUnsafeBytes { try JobCheckpoint(decoding: $0) } }
    }

    /// A quarantine takes tasks back: the count of completed tasks goes down, and the rate shown says 0, not a crash.
    @Test func aRateOverWorkTakenBackIsZero() {
        var meter = RateMeter()
        let start = ContinuousClock.now
        meter.record(100, at: start)
        meter.record(40, at: start + .seconds(1))
        #expect(meter.perSecond == 0)
    }
}
