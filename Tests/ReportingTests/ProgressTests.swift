import Foundation
import Testing
import Wire

@testable import PipelineCore
@testable import Reporting

struct ProgressTests {
    let job = try! JobAnnouncement(jobID: 42, kernel: try KernelName("primes"), first: 1, last: 1_024_000, chunk: 1000)

    @Test func theRateCoversTheLastFewSeconds() {
        var meter = RateMeter(span: .seconds(5))
        let start = ContinuousClock.now
        #expect(meter.perSecond == nil)
        meter.record(0, at: start)
        meter.record(100, at: start + .seconds(1))
        #expect(meter.perSecond == 100)
        for second in 2...20 { meter.record(100 + UInt64(second - 1) * 10, at: start + .seconds(second)) }
        #expect(meter.perSecond == 10)  // the fast first second has aged out
    }

    @Test func aLineSaysDoneOfTotalRateETAAndWorkers() {
        let status = JobStatus(
            announcement: job, completed: 512, duplicates: 1, rejected: 0, reissued: 3, workersConnected: 4,
            workersContributed: 4,
            elapsed: .seconds(10))
        let line = ProgressText.line(for: status, rate: 64)
        #expect(line == "job 42 primes: 512/1024 tasks (50.0%), 64.0 tasks/s, ETA 0:08, 4 workers, re-issued 3, duplicates 1")
    }

    @Test func beforeARateIsKnownTheLineSaysSo() {
        let status = JobStatus(
            announcement: job, completed: 0, duplicates: 0, rejected: 2, reissued: 0, workersConnected: nil,
            workersContributed: 0,
            elapsed: .zero)
        #expect(
            ProgressText.line(for: status, rate: nil)
                == "job 42 primes: 0/1024 tasks (0.0%), rate --, ETA --:--, workers ?, re-issued 0, duplicates 0, rejected 2")
    }

    @Test func aJobNoConnectedWorkerCanRunSaysItWaitsForOne() {
        let status = JobStatus(
            announcement: job, completed: 0, duplicates: 0, rejected: 0, reissued: 0, workersConnected: 2, workersAble: 0,
            workersContributed: 0, elapsed: .seconds(1))
        #expect(
            ProgressText.line(for: status, rate: nil).contains(
                "waiting for a worker that offers kernel 'primes' and delivers (none of the 2 connected does; see the ventilator's log)"
            ))
    }

    @Test func aSubmittedAnswerAndAFailureReadAsSuch() throws {
        let expected = try JobAnnouncement(
            jobID: 1, kernel: KernelName("mc-pi"), reduction: .max, answer: .submitted(-7), first: 1, last: 10, chunk: 1)
        let mismatch = JobSummary(
            announcement: expected, outcome: .mismatch, total: -6, completed: 10, duplicates: 0, reissued: 0,
            workersConnected: 1, rejected: 0, elapsed: .seconds(1), workers: [], failure: nil)
        #expect(mismatch.text.contains("mc-pi over [1, 10], 10 tasks of 1 (reduce: max)"))
        #expect(mismatch.text.contains("NO: the expected total (--expect) gives -7, the workers' total is -6"))
        let report = try JobReport(
            jobID: 1, outcome: .failed, total: 0, completed: 3, duplicates: 0, rejected: 0, elapsedNanoseconds: 1,
            reason: "task 4 [5, 5] failed")
        #expect(ReportText.lines(for: report, job: expected).hasSuffix("error: task 4 [5, 5] failed"))
    }

    @Test func etaReadsAsAClock() {
        #expect(ProgressText.clock(0) == "0:00")
        #expect(ProgressText.clock(61.2) == "1:02")
        #expect(ProgressText.clock(3 * 3600 + 5) == "3:00:05")
        #expect(ProgressText.clock(.infinity) == "--:--")
    }

    @Test func theJSONReportHasTheTotalAsTextAndFiguresPerWorker() throws {
        var first = WorkerStatistics(workerID: 0xA1)
        first.tasks = 700
        first.elements = 700_000
        first.busyNanoseconds = 1_500_000_000
        var second = WorkerStatistics(workerID: 0xB2)
        second.tasks = 324
        second.elements = 324_000
        let known = try JobAnnouncement(
            jobID: 42, kernel: KernelName("primes"), answer: .known(80_000), first: 1, last: 1_024_000, chunk: 1000)
        let summary = JobSummary(
            announcement: known, outcome: .verified, total: 80_000, completed: 1024, duplicates: 2, reissued: 3,
            workersConnected: 2, rejected: 0, elapsed: .seconds(2), workers: [first, second], failure: nil)
        let json = try #require(JSONSerialization.jsonObject(with: Data(summary.json.utf8)) as? [String: Any])
        #expect(!summary.json.contains("\n"))
        #expect(json["job_id"] as? Int == 42)
        #expect(json["kernel"] as? String == "primes")
        #expect(json["outcome"] as? String == "verified")
        #expect(json["verified"] as? Bool == true)
        #expect(json["total"] as? String == "80000")
        #expect(json["expected"] as? String == "80000")
        #expect(json["reduction"] as? String == "sum")
        #expect(json["answer_source"] as? String == "published values of π(x)")
        #expect(json["tasks_per_second"] as? Double == 512)
        let workers = try #require(json["workers"] as? [[String: Any]])
        #expect(workers.map { $0["id"] as? String } == ["00000000000000a1", "00000000000000b2"])
        #expect(workers[0]["busy_seconds"] as? Double == 1.5)
        #expect(workers[0]["elements"] as? String == "700000")
        #expect(json["error"] == nil)
        #expect((json["suspect_workers"] as? [Any])?.isEmpty == true)
    }

    /// A worker the ventilator named is in the text report with what to check, and in the JSON for programs.
    @Test func suspectWorkersAreNamedInTheTextAndTheJSON() throws {
        let job = try JobAnnouncement(jobID: 9, kernel: KernelName("sum"), first: 1, last: 100, chunk: 10)
        var summary = JobSummary(
            announcement: job, outcome: .verified, total: 5050, completed: 10, duplicates: 0, reissued: 12,
            workersConnected: 2, rejected: 0, elapsed: .seconds(1), workers: [], failure: nil)
        summary.suspectWorkers = [
            SuspectWorker(
                jobID: 9, workerID: 0xBAD0, cause: .resultsElsewhere, tasksLost: 12, suspendedMilliseconds: 1000,
                address: "10.0.0.7")
        ]
        #expect(summary.text.contains("suspect worker 000000000000bad0 at 10.0.0.7: none of the last 12 task(s)"))
        #expect(summary.text.contains("Check its --results endpoint"))
        let json = try #require(JSONSerialization.jsonObject(with: Data(summary.json.utf8)) as? [String: Any])
        let suspects = try #require(json["suspect_workers"] as? [[String: Any]])
        #expect(suspects.count == 1)
        #expect(suspects[0]["id"] as? String == "000000000000bad0")
        #expect(suspects[0]["address"] as? String == "10.0.0.7")
        #expect(suspects[0]["cause"] as? String == "results_elsewhere")
        #expect(suspects[0]["tasks_lost"] as? Int == 12)
    }
}
