import Kernels
import Logging
import Pipeline
import PipelineCore
import TestSupport
import Wire
import ZeroMQ

let quiet = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

/// What a sink thread hands back when it ends.
struct SinkOutcome: Sendable {
    let summaries: [JobSummary]
    let malformedFrames: UInt64
    let foreignResults: UInt64
}

/// Roles running in this process on their own threads, over real tcp sockets on 127.0.0.1.
final class Harness: Sendable {
    let context: Context
    let stop = StopFlag()
    let resultsEndpoint: String
    let controlEndpoint: String
    let sink: BlockingThread<SinkOutcome>

    init(sinkTimeout: Duration = .seconds(30), jobs: Int = 1) throws {
        let context = try Context()
        let ready = Mailbox<[String]>()
        let stop = self.stop
        sink = BlockingThread.run {
            var configuration = SinkConfiguration()
            configuration.resultsEndpoint = "tcp://127.0.0.1:*"
            configuration.controlEndpoint = "tcp://127.0.0.1:*"
            configuration.timeout = sinkTimeout
            configuration.jobs = jobs
            let sink = try Sink(context: context, configuration: configuration, logger: quiet)
            ready.put([sink.resultsEndpoint, sink.controlEndpoint])
            let summaries = try sink.run(stop: stop)
            return SinkOutcome(summaries: summaries, malformedFrames: sink.malformedFrames, foreignResults: sink.foreignResults)
        }
        let endpoints = try ready.take()
        self.context = context
        resultsEndpoint = endpoints[0]
        controlEndpoint = endpoints[1]
    }

    /// Starts a ventilator for `job`; returns its thread and the endpoint workers connect to.
    func startVentilator(
        _ job: JobAnnouncement, timeout: Duration = .seconds(30)
    ) throws -> (thread: BlockingThread<JobReport>, tasksEndpoint: String) {
        let ready = Mailbox<String>()
        let (context, stop, results, control) = (self.context, self.stop, resultsEndpoint, controlEndpoint)
        let thread = BlockingThread<JobReport>.run {
            var configuration = VentilatorConfiguration(job: job)
            configuration.tasksEndpoint = "tcp://127.0.0.1:*"
            configuration.resultsEndpoint = results
            configuration.controlEndpoint = control
            configuration.timeout = timeout
            let ventilator = try Ventilator(context: context, configuration: configuration, logger: quiet)
            ready.put(ventilator.tasksEndpoint)
            return try ventilator.run(stop: stop)
        }
        return (thread, try ready.take())
    }

    /// Starts a worker that runs until ``stopAll()``.
    func startWorker(tasks: [String], id: UInt64 = .random(in: 1...UInt64.max)) -> BlockingThread<WorkerReport> {
        let (context, stop, results) = (self.context, self.stop, resultsEndpoint)
        return BlockingThread.run {
            var configuration = WorkerConfiguration()
            configuration.tasksEndpoints = tasks
            configuration.resultsEndpoint = results
            configuration.workerID = id
            return try Worker(context: context, configuration: configuration, logger: quiet).run(stop: stop)
        }
    }

    func stopAll() {
        stop.request()
    }
}

/// A job of a built-in kernel, announced with its known answer as the ventilator announces it.
func job(_ kernel: KernelName, first: UInt64 = 1, last: UInt64, chunk: UInt64) throws -> JobAnnouncement {
    let known = KernelRegistry.knownSum(of: kernel.rawValue, first: first, last: last)
    return try JobAnnouncement(
        jobID: .random(in: 1...UInt64.max), kernel: kernel, answer: known.map { .known($0) } ?? .none, first: first,
        last: last, chunk: chunk)
}
