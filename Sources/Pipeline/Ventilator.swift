public import Logging
public import Wire
public import ZeroMQ

/// Splits a job into range tasks and pushes them to workers, never more in flight than its window,
/// then waits for the sink's report.
///
/// Tasks are made one at a time from the job's plan, so memory does not grow with the job's size.
/// Owned by the thread that calls ``run(stop:)``; create it on that thread.
public final class Ventilator {
    /// The task endpoint actually bound (a `*` port resolved).
    public let tasksEndpoint: String
    /// Tasks pushed so far (each task id once).
    public private(set) var dispatched: UInt64 = 0
    /// Distinct tasks the sink has acknowledged.
    public private(set) var completed: UInt64 = 0
    /// Dispatch-to-acknowledgement latency of sampled tasks.
    public private(set) var latency = LatencySampler()
    /// From the first task dispatched to the sink's report: the job's duration as its submitter sees it.
    public private(set) var dispatchToReport: Duration = .zero
    /// Workers heard from in the last 10 seconds.
    public var connectedWorkers: Int { pool.active(within: .seconds(10)) }
    /// Frames from workers or the sink that were not valid protocol messages.
    public private(set) var malformedFrames: UInt64 = 0

    /// What the ventilator has done so far.
    public var status: VentilatorStatus {
        VentilatorStatus(
            job: configuration.job, dispatched: dispatched, completed: completed, reissued: reissued,
            workersConnected: connectedWorkers, malformedFrames: malformedFrames)
    }

    private let configuration: VentilatorConfiguration
    private let logger: Logger
    private let tasks: Socket
    private let announcements: Socket
    private let control: Socket
    private var sendBuffer: [UInt8] = []
    private var batch: [RangeTask] = []
    private var statusBuffer: [UInt8] = []
    private var reportedReissues: UInt64 = 0
    private let authenticator: CurveAuthenticator?
    private var pool = WorkerPool()
    private var tracker: RedeliveryTracker
    /// Tasks sent more than once (their first copy was late or lost).
    public var reissued: UInt64 { tracker.reissued }
    private var warnings = RateLimitedWarning()
    private var handshakeDone = false

    public init(context: Context, configuration: VentilatorConfiguration, logger: Logger) throws(PipelineError) {
        self.configuration = configuration
        self.logger = logger
        tracker = RedeliveryTracker(taskCount: configuration.job.taskCount)
        let security = configuration.security
        authenticator = try security.map { (security) throws(PipelineError) in
            try CurveAuthenticator(context: context, allowed: security.allowedClients, logger: logger)
        }
        do {
            tasks = try Socket(context, type: .router)
            try tasks.secureAsServer(security)
            try tasks.setOption(.routerMandatory, true)
            try tasks.setOption(.maxMessageSize, JobLimits.maxFrameBytes)
            announcements = try Socket(context, type: .push)
            try announcements.secureAsClient(security, serverKey: security?.sinkPublicKey)
            control = try Socket(context, type: .sub)
            try control.secureAsClient(security, serverKey: security?.sinkPublicKey)
            try control.setOption(.subscribe, [])
            try control.setOption(.maxMessageSize, JobLimits.maxFrameBytes)
            for socket in [tasks, announcements, control] {
                try socket.setOption(.heartbeatInterval, .seconds(1))
                try socket.setOption(.heartbeatTimeout, .seconds(5))
            }
        } catch {
            throw PipelineError.messaging(error, while: "opening the ventilator's sockets")
        }
        do {
            tasksEndpoint = try tasks.bind(configuration.tasksEndpoint)
        } catch {
            throw PipelineError.binding(configuration.tasksEndpoint, role: "ventilator", flag: "--tasks", error)
        }
        do {
            try control.connect(configuration.controlEndpoint)
        } catch {
            throw PipelineError.connecting(configuration.controlEndpoint, role: "ventilator", flag: "--control", error)
        }
        do {
            try announcements.connect(configuration.resultsEndpoint)
        } catch {
            throw PipelineError.connecting(configuration.resultsEndpoint, role: "ventilator", flag: "--results", error)
        }
    }

    deinit {
        // The handler's socket holds the context; stop it so the context can terminate and flush (linger)
        // what this role sent last, such as the final report.
        authenticator?.shutdown()
    }

    /// Announces the job, dispatches every task, and returns the sink's report.
    ///
    /// Throws when the sink does not answer, the job makes no progress for the timeout, or `stop` is requested.
    ///
    /// - Parameter onStatus: called about every 100 ms while tasks are dispatched, with the ventilator's status.
    public func run(stop: StopFlag, onStatus: (VentilatorStatus) -> Void = { _ in }) throws(PipelineError) -> JobReport {
        let job = configuration.job
        try handshake(stop: stop)
        logger.info("job \(job.jobID): sink ready; dispatching \(job.taskCount) tasks on \(tasksEndpoint)")

        var window = InFlightWindow(fixed: configuration.window, now: .now)
        var lastProgress = ContinuousClock.now
        var firstDispatch: ContinuousClock.Instant?
        var lastSweep = ContinuousClock.now
        var lastStatusToSink = ContinuousClock.now
        var lastStatusToCaller = ContinuousClock.now
        let poller = Poller()
        let controlIndex = poller.add(control, interest: .readable)
        let tasksIndex = poller.add(tasks, interest: .readable)
        while true {
            if stop.isRequested {
                throw PipelineError(.stopped, "stopped with \(completed) of \(job.taskCount) tasks done")
            }
            do {
                try poller.poll(timeout: .milliseconds(100))
            } catch {
                throw PipelineError.messaging(error, while: "waiting for workers and the sink")
            }
            let now = ContinuousClock.now
            if poller.events(at: controlIndex).contains(.readable) {
                let before = completed
                if let report = try drainControl() {
                    if let firstDispatch { dispatchToReport = now - firstDispatch }
                    return report
                }
                if completed > before { lastProgress = now }
                window.observe(completed: completed, now: now, workers: pool.count, latency: latency.histogram.minimum)
            }
            if poller.events(at: tasksIndex).contains(.readable) {
                try drainCredits()
            }
            // Re-issues are reported at once, so the sink hears of them before their results.
            if now - lastStatusToSink >= .milliseconds(500) || tracker.reissued != reportedReissues {
                lastStatusToSink = now
                sendStatus()
            }
            if now - lastStatusToCaller >= .milliseconds(100) {
                lastStatusToCaller = now
                onStatus(status)
            }
            if now - lastSweep >= .milliseconds(50) {
                lastSweep = now
                let deadline = redeliveryDeadline()
                tracker.expire(
                    now: now, deadline: deadline, tail: dispatched == job.taskCount,
                    tailDeadline: min(deadline, max(.milliseconds(100), latencyEstimate * 2)))
            }
            let before = dispatched
            try dispatch(upTo: min(job.taskCount, completed + window.limit), batchSize: window.batchSize)
            if firstDispatch == nil && dispatched > before { firstDispatch = now }
            if now - lastProgress > configuration.timeout {
                let why =
                    firstDispatch != nil
                    ? "no task completed for \(configuration.timeout) (\(completed) of \(job.taskCount) done): "
                        + "are the workers alive, and connected to the sink at \(configuration.resultsEndpoint)?"
                    : "no worker asked for tasks at \(tasksEndpoint) within \(configuration.timeout): start one with "
                        + "`worker --tasks \(tasksEndpoint) --results \(configuration.resultsEndpoint)`"
                throw PipelineError(.noProgress, why)
            }
        }
    }

    /// Announces the job until the sink acknowledges it, so no result can reach the sink before it knows the job.
    private func handshake(stop: StopFlag) throws(PipelineError) {
        let job = configuration.job
        let deadline = ContinuousClock.now + configuration.timeout
        job.encode(into: &sendBuffer)
        let poller = Poller()
        poller.add(control, interest: .readable)
        while ContinuousClock.now < deadline {
            if stop.isRequested { throw PipelineError(.stopped, "stopped before the sink acknowledged the job") }
            do {
                _ = try announcements.send(sendBuffer, flags: .dontWait)
            } catch {
                throw PipelineError.messaging(error, while: "announcing the job")
            }
            // Repeat every 250 ms: the first announcement may beat our subscription to the sink's reports.
            let waitUntil = ContinuousClock.now + .milliseconds(250)
            while ContinuousClock.now < waitUntil {
                let ready: Int
                do {
                    ready = try poller.poll(timeout: waitUntil - .now)
                } catch {
                    throw PipelineError.messaging(error, while: "waiting for the sink")
                }
                guard ready > 0 else { break }
                if let report = try drainControl() {
                    throw PipelineError(
                        .sinkUnreachable, "the sink refused job \(job.jobID) (report: \(report.outcome)); see the sink's log")
                }
                if handshakeDone { return }
            }
        }
        throw PipelineError(
            .sinkUnreachable,
            "the sink did not acknowledge job \(job.jobID) within \(configuration.timeout): is a sink running with "
                + "results on \(configuration.resultsEndpoint) and control on \(configuration.controlEndpoint)?")
    }

    /// Reads every waiting control message; returns our job's report when it has arrived.
    private func drainControl() throws(PipelineError) -> JobReport? {
        let jobID = configuration.job.jobID
        while true {
            let message: Result<AnyMessage, WireError>?
            do {
                message = try control.receive(flags: .dontWait) { frame, hasMore in
                    hasMore ? .failure(WireError(.wrongLength, "a multipart message")) : Result { () throws(WireError) in try AnyMessage(decoding: frame) }
                }
            } catch {
                throw PipelineError.messaging(error, while: "reading the sink's acknowledgements")
            }
            switch message {
            case nil:
                return nil
            case .failure(let error):
                _ = try? control.discardRemainingFrames()
                malformedFrames += 1
                warnings.warn(logger, "dropped a malformed control frame: \(error)")
            case .success(.acknowledgement(let ack)) where ack.jobID == jobID:
                handshakeDone = true
                if !ack.runs.isEmpty {
                    let now = ContinuousClock.now
                    for run in ack.runs {
                        latency.acknowledged(run, at: now)
                        tracker.acknowledge(run)
                    }
                }
                // Our own count of acknowledged ids, never above what was sent: a confused or hostile sink
                // must not make the in-flight count underflow.
                completed = min(tracker.acknowledgedCount, dispatched)
            case .success(.jobReport(let report)) where report.jobID == jobID:
                return report
            case .success:
                continue  // another job's traffic
            }
        }
    }

    /// Reads workers' requests for work.
    private func drainCredits() throws(PipelineError) {
        while true {
            let routingID: (bytes: [UInt8], hasMore: Bool)?
            let credit: Credit?
            do {
                routingID = try tasks.receive(flags: .dontWait)
                guard let routingID, routingID.hasMore else { return }
                credit = try tasks.receive { frame, hasMore in hasMore ? nil : try? Credit(decoding: frame) } ?? nil
                if credit == nil { _ = try tasks.discardRemainingFrames() }
            } catch {
                throw PipelineError.messaging(error, while: "reading workers' requests")
            }
            guard let credit, let routingID else {
                malformedFrames += 1
                warnings.warn(logger, "dropped a malformed frame on the task socket; workers send only credits there")
                continue
            }
            if pool.apply(credit, from: routingID.bytes) {
                logger.info("worker \(hex(credit.workerID)) connected; \(pool.count) worker(s)")
            } else if credit.isReset {
                // The worker holds nothing: whatever we sent it and is still unacknowledged was lost.
                let lost = tracker.workerLost(routingID.bytes)
                if lost > 0 { logger.info("worker \(hex(credit.workerID)) holds nothing; re-issuing its \(lost) unacknowledged task(s)") }
            }
        }
    }

    /// Sends batches to workers that asked for them, re-issues first, until `limit` tasks are out
    /// or nobody is asking.
    private func dispatch(upTo limit: UInt64, batchSize: UInt64) throws(PipelineError) {
        let job = configuration.job
        while let worker = pool.nextWithCredit() {
            var ids = tracker.takeRetries(limit: Int(batchSize))
            let fresh = ids.isEmpty
            if fresh {
                guard dispatched < limit else { return }
                ids = Array(dispatched..<min(limit, dispatched + batchSize))
            }
            batch.removeAll(keepingCapacity: true)
            for id in ids { batch.append(job.task(id)) }
            try! TaskBatch(batch).encode(into: &sendBuffer)
            let routingID = pool.members[worker].routingID
            do {
                guard try tasks.send(routingID, flags: [.sendMore, .dontWait]), try tasks.send(sendBuffer, flags: .dontWait)
                else {
                    if !fresh { tracker.returnUnsent(ids) }
                    return  // the worker's queue is full: wait for its next request
                }
            } catch .hostUnreachable {
                if !fresh { tracker.returnUnsent(ids) }
                let gone = pool.remove(at: worker)
                let lost = tracker.workerLost(gone.routingID)
                logger.info("worker \(hex(gone.workerID)) disconnected; \(pool.count) worker(s); re-issuing \(lost) task(s)")
                continue
            } catch {
                throw PipelineError.messaging(error, while: "sending tasks")
            }
            pool.consumeCredit(at: worker)
            let now = ContinuousClock.now
            tracker.sent(ids, to: routingID, at: now)
            if fresh {
                latency.dispatched(dispatched..<dispatched + UInt64(ids.count), at: now)
                dispatched += UInt64(ids.count)
            }
        }
    }

    /// Tells the sink what only the ventilator knows; best effort, the next one repeats it.
    private func sendStatus() {
        reportedReissues = tracker.reissued
        let status = DispatchStatus(
            jobID: configuration.job.jobID, dispatched: dispatched, reissued: tracker.reissued,
            workers: UInt32(clamping: connectedWorkers))
        status.encode(into: &statusBuffer)
        _ = try? announcements.send(statusBuffer, flags: .dontWait)
    }

    /// The typical time from dispatch to acknowledgement (p99 of sampled tasks; 1 s before any sample).
    private var latencyEstimate: Duration {
        latency.histogram.percentile(0.99) ?? .seconds(1)
    }

    /// How long a task may stay unacknowledged before it is sent again: four times the typical
    /// latency, within the configured bounds.
    private func redeliveryDeadline() -> Duration {
        let estimate = latency.histogram.count > 0 ? latencyEstimate * 4 : configuration.redeliverAfterMaximum / 6
        return min(configuration.redeliverAfterMaximum, max(configuration.redeliverAfterMinimum, estimate))
    }
}
