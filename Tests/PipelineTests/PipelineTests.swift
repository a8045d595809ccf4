import Foundation
import Kernels
import Pipeline
import PipelineCore
import Reporting
import TestSupport
import Testing
import Wire
import ZeroMQ

@Suite(.timeLimit(.minutes(2)))
struct PipelineTests {
    @Test func aJobOverTwoWorkersIsVerified() throws {
        let harness = try Harness()
        let job = try job(KernelName("sum"), last: 1_000_000, chunk: 1_000)
        let (ventilator, tasks) = try harness.startVentilator(job)
        let workers = [harness.startWorker(tasks: [tasks]), harness.startWorker(tasks: [tasks])]

        let report = try ventilator.value()
        let sink = try harness.sink.value()
        harness.stopAll()
        let workerReports = try workers.map { try $0.value() }

        #expect(report.outcome == .verified)
        #expect(report.total == 500_000_500_000)
        let summary = try #require(sink.summaries.first)
        #expect(summary.total == 500_000_500_000)
        #expect(summary.completed == 1_000)
        #expect(summary.duplicates == 0)
        #expect(summary.workers.reduce(0) { $0 + $1.tasks } == 1_000)
        // Each batch's time, spread over its results, adds up to each worker's busy time.
        #expect(summary.workers.allSatisfy { $0.busyNanoseconds > 0 }, "\(summary.workers)")
        #expect(workerReports.reduce(0) { $0 + $1.tasks } == 1_000)
        #expect(workerReports.reduce(UInt128(0)) { $0 + $1.elements } == 1_000_000)
    }

    @Test func aWorkerStartedMidJobGetsAShare() throws {
        let harness = try Harness()
        // Compute-bound tasks, so the job lasts long enough for a second worker to join.
        let job = try job(KernelName("primes-mr"), last: 3_000_000, chunk: 3_000)
        let (ventilator, tasks) = try harness.startVentilator(job)
        let first = harness.startWorker(tasks: [tasks], id: 1)
        Thread.sleep(seconds: 0.3)
        let joiner = harness.startWorker(tasks: [tasks], id: 2)

        let report = try ventilator.value()
        _ = try harness.sink.value()
        harness.stopAll()
        let (early, late) = (try first.value(), try joiner.value())

        #expect(report.outcome == .unverifiable || report.outcome == .verified)
        #expect(report.total == 216_816)  // π(3·10^6)
        #expect(early.tasks + late.tasks == 1_000)
        #expect(late.tasks >= 100, "the late worker did \(late.tasks) of 1000 tasks")
    }

    @Test func garbageAtTheSinkIsCountedAndDropped() throws {
        let harness = try Harness()
        let job = try job(KernelName("sum"), last: 2_000_000, chunk: 1_000)
        let (ventilator, tasks) = try harness.startVentilator(job)
        let worker = harness.startWorker(tasks: [tasks])

        let rogue = try Socket(harness.context, type: .push)
        try rogue.connect(harness.resultsEndpoint)
        var garbage: [[UInt8]] = [
            [], [0xFF], [2, 0x03], [3, 0x03] + Array(repeating: 0, count: 56), [2, 0x09, 0, 0],
            Array(
                frame(
                    try TaskResult(jobID: job.jobID, taskID: 0, workerID: 9, partial: 1, elementCount: 1, computeNanoseconds: 0)
                )
                .dropLast()),
            // Well formed, but impossible for this job: wrong element count, task beyond the job.
            frame(try TaskResult(jobID: job.jobID, taskID: 0, workerID: 9, partial: 1, elementCount: 7, computeNanoseconds: 0)),
            frame(
                try TaskResult(
                    jobID: job.jobID, taskID: 5_000, workerID: 9, partial: 1, elementCount: 1_000, computeNanoseconds: 0)),
            frame(try RangeTask(jobID: job.jobID, taskID: 0, lo: 1, hi: 1)),
        ]
        garbage += (0..<50).map { _ in (0..<Int.random(in: 0...70)).map { _ in UInt8.random(in: 0...255) } }
        for frame in garbage { try rogue.send(frame) }
        try rogue.send(parts: [[1, 3], [4, 5]])
        try rogue.send(
            frame(TaskResult(jobID: 424_242, taskID: 0, workerID: 9, partial: 1, elementCount: 1, computeNanoseconds: 0)))

        let report = try ventilator.value()
        let sink = try harness.sink.value()
        harness.stopAll()
        _ = try worker.value()

        #expect(report.outcome == .verified)
        #expect(report.total == 2_000_001_000_000)
        #expect(sink.malformedFrames >= UInt64(garbage.count + 1) - 5)  // a random frame may rarely be a valid one
        #expect(sink.foreignResults >= 1)
    }

    @Test func garbageAtAWorkerIsCountedAndDropped() throws {
        let harness = try Harness()
        let job = try job(KernelName("sum"), last: 1_000_000, chunk: 1_000)
        let (ventilator, tasks) = try harness.startVentilator(job)
        // A rogue "ventilator": the worker connects to it too, and asks it for work.
        let rogue = try Socket(harness.context, type: .dealer)
        let rogueEndpoint = try rogue.bind("tcp://127.0.0.1:*")
        let worker = harness.startWorker(tasks: [tasks, rogueEndpoint])
        try rogue.setOption(.receiveTimeout, .seconds(10))
        let request = try #require(try rogue.receive())
        #expect(try Credit(decoding: request.bytes).isReset)

        let frames: [[UInt8]] = [
            [], [2], [2, 0x02, 1], [9, 9, 9, 9],
            frame(try RangeTask(jobID: 1, taskID: 0, lo: 1, hi: 2), kernel: "no-such-kernel"),
            frame(try TaskResult(jobID: 1, taskID: 0, workerID: 1, partial: 0, elementCount: 1, computeNanoseconds: 0)),
        ]
        for frame in frames { try rogue.send(frame) }
        try rogue.send(parts: [[1, 2], [3]])

        let report = try ventilator.value()
        _ = try harness.sink.value()
        // The rogue's frames were queued before the job ended; give the worker a moment to drain them.
        Thread.sleep(seconds: 0.3)
        harness.stopAll()
        let workerReport = try worker.value()

        #expect(report.outcome == .verified)
        #expect(report.total == 500_000_500_000)
        #expect(workerReport.rejected == UInt64(frames.count + 1))
        #expect(workerReport.tasks == 1_000)
    }

    @Test func duplicateResultsCountOnce() throws {
        let harness = try Harness()
        let job = try job(KernelName("sum"), last: 10_000, chunk: 100)
        let (ventilator, tasks) = try harness.startVentilator(job)
        // A hand-made worker that sends every result twice.
        let pull = try Socket(harness.context, type: .dealer)
        try pull.connect(tasks)
        try pull.send(Credit(batches: 4, isReset: true, workerID: 77, kernels: [KernelName("sum")]).encoded())
        let push = try Socket(harness.context, type: .push)
        try push.connect(harness.resultsEndpoint)
        var received: UInt64 = 0
        while received < job.taskCount {
            let batch = try TaskBatch(decoding: try #require(try pull.receive()).bytes)
            try pull.send(Credit(batches: 1, workerID: 77, kernels: [KernelName("sum")]).encoded())
            for task in batch.tasks {
                let result = try TaskResult(
                    jobID: task.jobID, taskID: task.taskID, workerID: 77, partial: SumKernel.evaluate(lo: task.lo, hi: task.hi),
                    elementCount: UInt64(task.elementCount), computeNanoseconds: 1)
                try push.send(frame(result))
                try push.send(frame(result))
                received += 1
            }
        }
        let report = try ventilator.value()
        let summary = try #require(try harness.sink.value().summaries.first)
        #expect(report.outcome == .verified)
        #expect(summary.total == 50_005_000)
        #expect(summary.completed == 100)
        // Duplicates still queued when the last task completes are not seen; all others are.
        #expect(summary.duplicates >= 99)
        #expect(summary.workers.map(\.tasks) == [100])
    }

    @Test func aJobWithNoWorkersFailsClearly() throws {
        let harness = try Harness(sinkTimeout: .milliseconds(600))
        let job = try job(KernelName("sum"), last: 100, chunk: 1)
        let (ventilator, tasks) = try harness.startVentilator(job, timeout: .seconds(20))
        let outcome = try harness.sink.value()
        let summary = try #require(outcome.summaries.first)
        #expect(summary.outcome == .failed)
        #expect(summary.failure?.contains("no new result") == true)
        #expect(summary.text.contains("FAILED") || summary.text.contains("error:"))
        // The sink's failure report reaches the ventilator, which returns it rather than hang.
        let report = try ventilator.value(timeout: .seconds(10))
        #expect(report.outcome == .failed)
        #expect(!tasks.isEmpty)
    }

    @Test func aVentilatorWithoutASinkSaysSo() throws {
        let context = try Context()
        var configuration = VentilatorConfiguration(job: try job(KernelName("sum"), last: 10, chunk: 1))
        configuration.tasksEndpoint = "tcp://127.0.0.1:*"
        configuration.resultsEndpoint = "tcp://127.0.0.1:1"  // nothing listens on port 1
        configuration.controlEndpoint = "tcp://127.0.0.1:2"
        configuration.timeout = .milliseconds(500)
        let ventilator = try Ventilator(context: context, configuration: configuration, logger: quiet)
        let error = #expect(throws: PipelineError.self) { try ventilator.run(stop: StopFlag()) }
        #expect(error?.code == .sinkUnreachable)
        #expect(error?.message.contains("tcp://127.0.0.1:1") == true)
    }

    @Test func aSecondSinkOnTheSamePortNamesTheFlag() throws {
        let harness = try Harness()
        var configuration = SinkConfiguration()
        configuration.resultsEndpoint = harness.resultsEndpoint
        let error = #expect(throws: PipelineError.self) {
            _ = try Sink(context: harness.context, configuration: configuration, logger: quiet)
        }
        #expect(error?.code == .bind)
        #expect(error?.message.contains("--results") == true)
        #expect(error?.message.contains("another sink") == true)
        harness.stopAll()
        _ = try harness.sink.value()
    }
}

extension Thread {
    static func sleep(seconds: Double) {
        usleep(UInt32(seconds * 1_000_000))
    }
}

func frame(_ result: TaskResult) -> [UInt8] {
    try! ResultBatch([result]).encoded()
}

func frame(_ task: RangeTask, kernel: String = "sum") -> [UInt8] {
    try! TaskBatch(kernel: KernelName(kernel), [task]).encoded()
}
