public import Logging
public import PipelineCore
public import Wire
public import ZeroMQ

/// Splits a job into range tasks and sends them to workers that ask for work, never more in flight than its
/// window, then waits for the sink's report.
///
/// Tasks are made one at a time from the job's plan, so memory does not grow with the job's size. A ventilator
/// started again for a job the sink already has learns from the sink which tasks are done, and sends only the rest.
/// Owned by the thread that calls ``run(stop:onStatus:)``; create it on that thread. Its concerns live in
/// extensions: the handshake and the sink's acknowledgements (`Ventilator+Sink`), and dispatch to workers
/// (`Ventilator+Dispatch`).
public final class Ventilator {
    /// The task endpoint actually bound (a `*` port resolved).
    public let tasksEndpoint: String
    /// Tasks sent so far (each task id once; re-issues not counted).
    public var dispatched: UInt64 { tracker.cursor - tracker.skipped }
    /// Distinct tasks the sink has acknowledged.
    public var completed: UInt64 { tracker.acknowledgedCount }
    /// Tasks the sink had already aggregated when this ventilator joined the job (a resumed job), as the
    /// handshake learnt them.
    public internal(set) var completedBeforeStart: UInt64 = 0
    /// Dispatch-to-acknowledgement latency of sampled tasks.
    public internal(set) var latency = LatencySampler()
    /// From the first task dispatched to the sink's report: the job's duration as its submitter sees it.
    public private(set) var dispatchToReport: Duration = .zero
    /// Workers heard from in the last 10 seconds.
    public var connectedWorkers: Int { pool.active(within: .seconds(10)) }
    /// Frames from workers or the sink that were not valid protocol messages.
    public internal(set) var malformedFrames: UInt64 = 0

    /// What the ventilator has done so far.
    public var status: VentilatorStatus {
        var status = VentilatorStatus(
            job: configuration.job, dispatched: dispatched, completed: completed, reissued: reissued,
            workersConnected: connectedWorkers, malformedFrames: malformedFrames)
        status.workersSuspended = pool.suspect.count
        return status
    }

    let configuration: VentilatorConfiguration
    let logger: Logger
    let tasks: Socket
    let announcements: Socket
    let control: Socket
    var sendBuffer: [UInt8] = []
    var statusBuffer: [UInt8] = []
    var reportedReissues: UInt64 = 0
    private let authenticator: CurveAuthenticator?
    var pool: WorkerPool
    var tracker: RedeliveryTracker
    /// Tasks the sink asked for again, to workers other than those that computed them.
    var recompute = RecomputeQueue()
    /// Whether the workers that can run the job changed since the sink was last told.
    var statusDue = false
    /// Runs of task ids the sink acknowledged, repeats included.
    var acknowledgedRuns: UInt64 = 0
    /// Tasks sent because the sink asked for them again (cross-checks, tie-breaks, a quarantined worker's).
    public internal(set) var recomputed: UInt64 = 0
    /// Tasks sent more than once (their first copy was late or lost).
    public var reissued: UInt64 { tracker.reissued }
    var warnings = RateLimitedWarning()
    var keyCheck = KeyCheck()
    /// With CURVE: requests for work from keys taken off the allow list, ignored.
    public internal(set) var revokedRequests: UInt64 = 0
    /// Set once an acknowledgement has told this ventilator every task the sink had aggregated.
    var handshakeDone = false
    /// Set when an acknowledgement counts more tasks than this ventilator was told of: some were dropped on the way.
    var acknowledgementsMissed = false
    /// When the job was last announced again to recover missed acknowledgements (the first time is logged).
    var lastReannouncement: ContinuousClock.Instant?
    private var descriptors = DescriptorWatch()
    /// With CURVE: each socket's handshakes, so a refused key or a wrong server key is logged with its cause.
    var handshakes: [ConnectionWatch] = []

    public init(context: Context, configuration: VentilatorConfiguration, logger: Logger) throws(PipelineError) {
        self.configuration = configuration
        self.logger = logger
        tracker = RedeliveryTracker(taskCount: configuration.job.taskCount)
        pool = WorkerPool(kernel: configuration.job.kernel)
        let security = configuration.security
        authenticator = try security.map { (security) throws(PipelineError) in
            try CurveAuthenticator(context: context, allowed: security.allowList, logger: logger)
        }
        do {
            tasks = try Socket(context, type: .router)
            try tasks.secureAsServer(security)
            try tasks.setOption(.routerMandatory, true)
            // A connection that never finishes its greeting holds a descriptor only this long (libzmq: 30 s).
            try tasks.setOption(.handshakeInterval, JobLimits.handshakeTimeout)
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
        if let security {
            do {
                handshakes = [
                    try ConnectionWatch(tasks, role: "ventilator", peer: "a worker", keys: security.keys, connects: false),
                    try ConnectionWatch(
                        announcements, role: "ventilator", peer: "the sink", keys: security.keys, connects: true,
                        serverKey: security.sinkPublicKey.map { ("--sink-key", $0) }),
                    try ConnectionWatch(
                        control, role: "ventilator", peer: "the sink", keys: security.keys, connects: true,
                        serverKey: security.sinkPublicKey.map { ("--sink-key", $0) }),
                ]
            } catch {
                throw PipelineError.messaging(error, while: "watching the CURVE handshakes")
            }
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

    /// How often, at least, batches sent are checked for acknowledgement (each worker's deliveries) and for their
    /// deadline; also within a millisecond of each acknowledgement.
    static let sweepInterval: Duration = .milliseconds(50)

    /// Why no task completed for the timeout, with what to check.
    private func stallReason(dispatchedAny: Bool) -> String {
        let job = configuration.job
        let offered = pool.kernelsOffered(within: configuration.timeout)
        let able = pool.able(within: configuration.timeout)
        let suspect = pool.suspect.filter { $0.kernels.contains(job.kernel) && !$0.quarantined }
        if offered.contains(job.kernel) && able == 0 && !suspect.isEmpty {
            return "every connected worker that offers kernel '\(job.kernel)' is suspended: the tasks they were sent "
                + "never reached the sink (\(completed) of \(job.taskCount) tasks done; see the warnings above). Check that "
                + "the sink runs and that the workers' --results names it (\(configuration.resultsEndpoint))"
        }
        if !offered.isEmpty && able == 0 {
            return "no connected worker offers kernel '\(job.kernel)' (\(completed) of \(job.taskCount) tasks done); "
                + "the connected workers offer: \(offered.map(\.rawValue).joined(separator: ", ")). Start a worker "
                + "that offers '\(job.kernel)': one built with it, or `worker --command \(job.kernel)=PROGRAM`"
        }
        if dispatchedAny {
            return "no task completed for \(configuration.timeout) (\(completed) of \(job.taskCount) done): "
                + "are the workers alive, and connected to the sink at \(configuration.resultsEndpoint)?"
        }
        if able > 0 {
            return "only \(able) of the \(configuration.waitForWorkers) workers --wait-for-workers waits for asked for tasks at "
                + "\(tasksEndpoint) within \(configuration.timeout), so nothing was dispatched: start more workers, or "
                + "lower --wait-for-workers"
        }
        return "no worker asked for tasks at \(tasksEndpoint) within \(configuration.timeout): start one with "
            + "`worker --tasks \(tasksEndpoint) --results \(configuration.resultsEndpoint)`"
    }

    /// Announces the job, dispatches every task, and returns the sink's report.
    ///
    /// Throws when the sink does not answer, the job makes no progress for the timeout, or `stop` is requested.
    ///
    /// - Parameter onStatus: called about every 100 ms while tasks are dispatched, with the ventilator's status.
    public func run(stop: StopFlag, onStatus: (VentilatorStatus) -> Void = { _ in }) throws(PipelineError) -> JobReport {
        let job = configuration.job
        if let report = try handshake(stop: stop, onStatus: onStatus) { return report }
        completedBeforeStart = completed
        if completed > 0 {
            logger.notice("job \(job.jobID): the sink already has \(completed) of \(job.taskCount) tasks; dispatching the rest")
        }
        logger.info("job \(job.jobID): sink ready; dispatching \(job.taskCount - completed) tasks on \(tasksEndpoint)")
        if configuration.waitForWorkers > 1 {
            logger.info("waiting for \(configuration.waitForWorkers) workers that offer '\(job.kernel)' before dispatching")
        }

        var window = InFlightWindow(fixed: configuration.window, now: .now, completed: completed)
        var lastProgress = ContinuousClock.now
        var firstDispatch: ContinuousClock.Instant?
        var lastSweep = ContinuousClock.now
        var completedAtSweep = completed
        var lastStatusToSink = ContinuousClock.now
        var lastStatusToCaller = ContinuousClock.now
        let poller = Poller()
        let controlIndex = poller.add(control, interest: .readable)
        let tasksIndex = poller.add(tasks, interest: .readable)
        while true {
            if stop.isRequested {
                throw PipelineError(.stopped, "stopped with \(completed) of \(job.taskCount) tasks done")
            }
            if configuration.security?.allowList.reloadIfRequested(logger: logger) == true {
                revokeMembersNoLongerAllowed()
            }
            for index in handshakes.indices { handshakes[index].check(logger: logger) }
            do {
                // A sweep due after acknowledgements must not wait for the next message.
                try poller.poll(timeout: completed != completedAtSweep ? .milliseconds(1) : .milliseconds(100))
            } catch {
                throw PipelineError.messaging(error, while: "waiting for workers and the sink")
            }
            let now = ContinuousClock.now
            if poller.events(at: controlIndex).contains(.readable) {
                let before = acknowledgedRuns
                if let report = try drainControl() {
                    if let firstDispatch { dispatchToReport = now - firstDispatch }
                    return report
                }
                if acknowledgedRuns > before { lastProgress = now }
                reannounceIfAcknowledgementsWereMissed(now: now)
                window.observe(completed: completed, now: now, workers: pool.count, latency: latency.histogram.minimum)
            }
            if poller.events(at: tasksIndex).contains(.readable) {
                try drainCredits()
            }
            // Re-issues are reported at once, so the sink hears of them before their results.
            // ... and so are changes in which workers can run the job: the sink's cross-checks depend on it.
            if now - lastStatusToSink >= .milliseconds(500) || tracker.reissued != reportedReissues || statusDue {
                lastStatusToSink = now
                sendStatus()
            }
            if now - lastStatusToCaller >= .milliseconds(100) {
                lastStatusToCaller = now
                onStatus(status)
                descriptors.check(now: now, logger: logger)
            }
            // Soon after acknowledgements (so a worker held back by its share is fed again at once), and regularly.
            let acknowledged = completed != completedAtSweep && now - lastSweep >= .milliseconds(1)
            if acknowledged || now - lastSweep >= Self.sweepInterval {
                lastSweep = now
                completedAtSweep = completed
                let deadline = redeliveryDeadline()
                // Stragglers, once all is dispatched: twice the shortest latency (a batch's work and the link), not the
                // p99, which counts the wait in a worker's queue (about 100 ms of work) and raced a 1 s job's end late.
                let straggler = max(.milliseconds(100), (latency.histogram.minimum ?? latencyEstimate) * 2)
                tracker.expire(
                    now: now, deadline: deadline, tail: tracker.allSent, tailDeadline: min(deadline, straggler))
                settleHealth(now: now)
            }
            let before = dispatched
            if firstDispatch != nil || pool.able(within: .seconds(10)) >= configuration.waitForWorkers {
                try dispatch(window: window.limit, batchSize: window.batchSize(remaining: job.taskCount - tracker.cursor))
            }
            if firstDispatch == nil && dispatched > before { firstDispatch = now }
            if now - lastProgress > configuration.timeout {
                throw PipelineError(.noProgress, stallReason(dispatchedAny: firstDispatch != nil))
            }
        }
    }
}
