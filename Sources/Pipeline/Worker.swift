public import Logging
public import ZeroMQ
import Kernels
import Wire

/// Where a ``Worker`` takes tasks from and sends results to.
public struct WorkerConfiguration: Sendable {
    /// Ventilators' task endpoints to connect to; tasks are taken from all of them fairly.
    public var tasksEndpoints = [DefaultEndpoints.tasks]
    /// The sink's result endpoint.
    public var resultsEndpoint = DefaultEndpoints.results
    /// This worker's id in results; random unless set.
    public var workerID = UInt64.random(in: 1...UInt64.max)
    /// Task batches queued at this worker at most, per ventilator.
    public var receiveHighWaterMark: Int32 = 1_000

    public init() {}
}

/// What a worker did while it ran.
public struct WorkerReport: Hashable, Sendable {
    public internal(set) var tasks: UInt64 = 0
    public internal(set) var elements: UInt128 = 0
    /// Frames that were not valid tasks (dropped).
    public internal(set) var rejected: UInt64 = 0
}

/// Pulls tasks, computes them with the kernel each names, and pushes the results to the sink.
/// Long-lived: it serves one job after another until stopped.
///
/// Owned by the thread that calls ``run(stop:)``; create it on that thread.
public final class Worker {
    public let workerID: UInt64
    private let logger: Logger
    private let tasks: Socket
    private let results: Socket
    private var warnings = RateLimitedWarning()
    private var sendBuffer: [UInt8] = []
    private var report = WorkerReport()
    private var currentJob: UInt64?

    public init(context: Context, configuration: WorkerConfiguration = WorkerConfiguration(), logger: Logger) throws(PipelineError) {
        workerID = configuration.workerID
        self.logger = logger
        do {
            tasks = try Socket(context, type: .pull)
            try tasks.setOption(.receiveHighWaterMark, configuration.receiveHighWaterMark)
            try tasks.setOption(.maxMessageSize, JobLimits.maxFrameBytes)
            try tasks.setOption(.receiveTimeout, .milliseconds(100))
            results = try Socket(context, type: .push)
            try results.setOption(.sendTimeout, .milliseconds(100))
            for socket in [tasks, results] {
                try socket.setOption(.heartbeatInterval, .seconds(1))
                try socket.setOption(.heartbeatTimeout, .seconds(5))
            }
        } catch {
            throw PipelineError.messaging(error, while: "opening the worker's sockets")
        }
        for endpoint in configuration.tasksEndpoints {
            do {
                try tasks.connect(endpoint)
            } catch {
                throw PipelineError.connecting(endpoint, role: "worker", flag: "--tasks", error)
            }
        }
        do {
            try results.connect(configuration.resultsEndpoint)
        } catch {
            throw PipelineError.connecting(configuration.resultsEndpoint, role: "worker", flag: "--results", error)
        }
    }

    /// Serves tasks until `stop` is requested, finishing and sending the batch in hand first.
    @discardableResult
    public func run(stop: StopFlag) throws(PipelineError) -> WorkerReport {
        var results: [TaskResult] = []
        while !stop.isRequested {
            let batch: TaskBatch?
            do {
                batch = try tasks.receive { frame, hasMore in decodeBatch(frame, hasMore: hasMore) } ?? nil
            } catch {
                if error == .terminated { break }
                throw PipelineError.messaging(error, while: "receiving tasks")
            }
            guard let batch else { continue }
            guard let kernel = KernelRegistry.kernel(for: batch.kernel) else {
                report.rejected += 1
                warnings.warn(
                    logger, "dropped \(batch.tasks.count) tasks of job \(batch.jobID): no kernel \(batch.kernel.rawValue) in this build")
                continue
            }
            if batch.jobID != currentJob {
                currentJob = batch.jobID
                logger.info("job \(batch.jobID): first task \(batch.tasks[0].taskID), [\(batch.tasks[0].lo), \(batch.tasks[0].hi)]")
            }
            results.removeAll(keepingCapacity: true)
            for task in batch.tasks {
                let start = ContinuousClock.now
                let partial = kernel.evaluate(lo: task.lo, hi: task.hi)
                let elapsed = ContinuousClock.now - start
                // A task holds at most 2^64 - 1 elements (a job's chunk is a UInt64).
                let elements = UInt64(clamping: task.elementCount)
                results.append(
                    try! TaskResult(
                        jobID: task.jobID, taskID: task.taskID, workerID: workerID, partial: partial,
                        elementCount: elements, computeNanoseconds: elapsed.wholeNanoseconds))
                report.elements += UInt128(elements)
            }
            report.tasks += UInt64(results.count)
            try send(try! ResultBatch(results), stop: stop)
        }
        return report
    }

    private func decodeBatch(_ frame: UnsafeRawBufferPointer, hasMore: Bool) -> TaskBatch? {
        if hasMore {
            _ = try? tasks.discardRemainingFrames()
            report.rejected += 1
            warnings.warn(logger, "dropped a multipart message; task batches are single frames")
            return nil
        }
        do {
            return try TaskBatch(decoding: frame)
        } catch {
            report.rejected += 1
            warnings.warn(logger, "dropped a malformed task frame of \(frame.count) bytes: \(error)")
            return nil
        }
    }

    /// Sends results, waiting (in 100 ms steps, so a stop is noticed) while the sink's queue is full.
    private func send(_ batch: ResultBatch, stop: StopFlag) throws(PipelineError) {
        batch.encode(into: &sendBuffer)
        var warned = false
        while true {
            do {
                if try results.send(sendBuffer) { return }
            } catch {
                if error == .terminated { return }
                throw PipelineError.messaging(error, while: "sending a result")
            }
            if stop.isRequested {
                logger.warning("stopping with \(batch.results.count) results of job \(batch.jobID) unsent: the sink is not taking results")
                return
            }
            if !warned {
                logger.warning("the sink is not taking results; waiting")
                warned = true
            }
        }
    }
}
