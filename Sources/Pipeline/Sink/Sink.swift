public import Logging
public import PipelineCore
import Wire
public import ZeroMQ

/// Aggregates results: each job's tasks exactly once, verified against the answer the job was announced with.
///
/// Owned by the thread that calls ``run(stop:onStatus:onReport:)``; create it on that thread.
/// Its concerns live in extensions: intake of frames (`Sink+Intake`), acknowledgements (`Sink+Acknowledge`)
/// and the journal (`Sink+Journal`).
public final class Sink {
    /// The result endpoint actually bound (a `*` port resolved).
    public let resultsEndpoint: String
    /// The control endpoint actually bound.
    public let controlEndpoint: String
    /// Frames on the results socket that were not valid protocol messages.
    public internal(set) var malformedFrames: UInt64 = 0
    /// Valid results for jobs this sink has not been told about.
    public internal(set) var foreignResults: UInt64 = 0
    /// Frames from a key taken off the allow list since it connected, dropped.
    public internal(set) var revokedFrames: UInt64 = 0
    /// Frames whose worker id another key already uses, refused.
    public internal(set) var claimedFrames: UInt64 = 0
    /// Workers the ventilators named because their tasks never reached this sink (each once per job).
    public internal(set) var suspectWorkersNamed: UInt64 = 0
    /// Results from workers quarantined for their job, not counted.
    public internal(set) var quarantinedResults: UInt64 = 0
    private var lastCrossCheck = ContinuousClock.now
    static let crossCheckInterval: Duration = .milliseconds(10)
    /// How long an idle sink waits for a result before it looks at its clocks: longer unless a job's cross-checks
    /// await the next round (their requests go out in rounds, and a job's end may be waiting to give them up).
    private var idleWait = Sink.quietIdleWait
    private static let quietIdleWait: Duration = .milliseconds(100)
    /// Whether ``run(stop:onStatus:onReport:)`` returned because it was stopped with jobs kept in the journal,
    /// to be resumed by a sink restarted with the same journal (rather than ending them as failed).
    public internal(set) var paused = false
    /// Jobs in progress when ``run(stop:onStatus:onReport:)`` returned.
    public var activeJobs: Int { active.count }

    let configuration: SinkConfiguration
    let logger: Logger
    let results: Socket
    let control: Socket
    var active: [UInt64: JobProgress] = [:]
    /// Reports of ended jobs, to answer re-announcements and recognise late results.
    var ended: [UInt64: JobReport] = [:]
    var warnings = RateLimitedWarning()
    var sendBuffer: [UInt8] = []
    var lastAcknowledgement = ContinuousClock.now
    /// The job of the previous result: nearly every result belongs to it, so this spares a hash lookup.
    var lastJob: JobProgress?
    private var messagesSinceCheck = 0
    var journal: Journal?
    /// With CURVE: the key that sent each worker id's results (a second key claiming an id is refused).
    var workerKeys: [UInt64: String] = [:]
    var keyCheck = KeyCheck()
    var journalFailure: PipelineError?
    private let authenticator: CurveAuthenticator?
    /// Results accepted from the frame being handled, journaled together before they are acknowledged.
    var acceptedResults: [TaskResult] = []
    /// Counts of the jobs that have ended, for ``status(now:)``.
    var endedTotals = SinkStatus()
    private var lastStatus = ContinuousClock.now
    private var descriptors = DescriptorWatch()
    private var handshakes: [ConnectionWatch] = []

    public init(context: Context, configuration: SinkConfiguration = SinkConfiguration(), logger: Logger) throws(PipelineError) {
        self.configuration = configuration
        self.logger = logger
        authenticator = try configuration.security.map { (security) throws(PipelineError) in
            try CurveAuthenticator(context: context, allowed: security.allowList, logger: logger)
        }
        do {
            results = try Socket(context, type: .pull)
            try results.secureAsServer(configuration.security)
            try results.setOption(.maxMessageSize, JobLimits.maxFrameBytes)
            try results.setOption(.receiveTimeout, Self.quietIdleWait)
            try results.setOption(.receiveHighWaterMark, 10_000)
            // Heartbeats close the pipes of workers that vanished without a word.
            try results.setOption(.heartbeatInterval, .seconds(1))
            try results.setOption(.heartbeatTimeout, .seconds(5))
            // A connection that never finishes its greeting holds a descriptor only this long (libzmq: 30 s).
            try results.setOption(.handshakeInterval, JobLimits.handshakeTimeout)
            control = try Socket(context, type: .pub)
            try control.setOption(.handshakeInterval, JobLimits.handshakeTimeout)
            try control.secureAsServer(configuration.security)
            try control.setOption(.sendHighWaterMark, 10_000)
            // The final report must reach the ventilator even when this process exits right after it.
            try control.setOption(.linger, .seconds(5))
        } catch {
            throw PipelineError.messaging(error, while: "opening the sink's sockets")
        }
        if let security = configuration.security {
            do {
                handshakes = [
                    try ConnectionWatch(
                        results, role: "sink", peer: "a worker or ventilator", keys: security.keys, connects: false),
                    try ConnectionWatch(control, role: "sink", peer: "a ventilator", keys: security.keys, connects: false),
                ]
            } catch {
                throw PipelineError.messaging(error, while: "watching the CURVE handshakes")
            }
        }
        // Replay before binding: a journal that cannot be read must not leave workers and ventilators talking
        // to a sink that is about to exit.
        let replay = try configuration.journalPath.map { (path) throws(PipelineError) in
            try Self.replayJournal(path, sync: configuration.journalSync, logger: logger)
        }
        do {
            resultsEndpoint = try results.bind(configuration.resultsEndpoint)
        } catch {
            throw PipelineError.binding(configuration.resultsEndpoint, role: "sink", flag: "--results", error)
        }
        do {
            controlEndpoint = try control.bind(configuration.controlEndpoint)
        } catch {
            throw PipelineError.binding(configuration.controlEndpoint, role: "sink", flag: "--control", error)
        }
        if let replay {
            journal = replay.journal
            active = replay.jobs.active
            ended = replay.jobs.ended
        }
    }

    deinit {
        // The handler's socket holds the context; stop it so the context can terminate and flush (linger)
        // what this role sent last, such as the final report.
        authenticator?.shutdown()
    }

    /// What the sink has done so far, and how far each job in progress has come.
    ///
    /// Work restored from the journal is not counted again, so counters stay true across restarts.
    public func status(now: ContinuousClock.Instant = .now) -> SinkStatus {
        var status = endedTotals
        status.malformedFrames = malformedFrames
        status.foreignResults = foreignResults
        status.revokedFrames = revokedFrames
        status.claimedFrames = claimedFrames
        status.suspectWorkers = suspectWorkersNamed
        status.quarantinedResults = quarantinedResults
        for job in active.values.sorted(by: { $0.announcement.jobID < $1.announcement.jobID }) {
            status.jobs.append(job.status(now: now))
            // A quarantine can take back tasks restored from the journal: never below zero.
            status.tasksCompleted += job.completed - min(job.completed, job.restoredCompleted)
            status.duplicates += job.duplicates - min(job.duplicates, job.restoredDuplicates)
            status.add(job.crossCheckSummary)
        }
        return status
    }

    /// Serves jobs until ``SinkConfiguration/jobs`` have ended or `stop` is requested.
    ///
    /// A stop ends the jobs in progress as failed, unless the sink keeps a journal: then it syncs the journal,
    /// keeps them there for a restarted sink to resume, and sets ``paused``.
    ///
    /// - Parameters:
    ///   - onStatus: called about every ``SinkConfiguration/statusInterval`` with the sink's status.
    ///   - onReport: called as each job ends, before its report is published.
    /// - Returns: the summaries of the jobs that ended, in order.
    @discardableResult
    public func run(
        stop: StopFlag, onStatus: (SinkStatus) -> Void = { _ in }, onReport: (JobSummary) -> Void = { _ in }
    ) throws(PipelineError) -> [JobSummary] {
        // Jobs resumed from the journal may already be complete.
        var summaries = finishCompletedJobs(onReport: onReport)
        while configuration.jobs == 0 || summaries.count < configuration.jobs {
            if let journalFailure { throw journalFailure }
            if stop.isRequested {
                if journal != nil {
                    try pause()
                    return summaries
                }
                for id in active.keys.sorted() {
                    summaries.append(end(id, failure: "the sink was stopped", onReport: onReport))
                }
                return summaries
            }
            var received: Bool?
            var idled = false
            do {
                received = try results.receiveWithProperties(flags: .dontWait) { frame, hasMore, properties in
                    handle(frame, hasMore: hasMore, from: properties)
                }
                if received == nil {
                    idled = true
                    // Idle: acknowledge now rather than make the ventilator wait, then block briefly.
                    acknowledgeAll(now: .now)
                    let wait = active.values.contains(where: \.awaitsCrossChecks) ? Self.crossCheckInterval : Self.quietIdleWait
                    if wait != idleWait {
                        try results.setOption(.receiveTimeout, wait)
                        idleWait = wait
                    }
                    received = try results.receiveWithProperties { frame, hasMore, properties in
                        handle(frame, hasMore: hasMore, from: properties)
                    }
                }
            } catch {
                throw PipelineError.messaging(error, while: "receiving results")
            }
            if received == true { summaries += finishCompletedJobs(onReport: onReport) }
            // Clocks, acknowledgements and timeouts every 256 messages or after waiting, not per message.
            messagesSinceCheck += 1
            if idled || messagesSinceCheck >= 256 {
                messagesSinceCheck = 0
                summaries += checkTimers(onReport: onReport)
                if ContinuousClock.now - lastStatus >= configuration.statusInterval {
                    lastStatus = .now
                    onStatus(status(now: lastStatus))
                }
            }
        }
        if let journalFailure { throw journalFailure }
        return summaries
    }

    private func checkTimers(onReport: (JobSummary) -> Void) -> [JobSummary] {
        let now = ContinuousClock.now
        configuration.security?.allowList.reloadIfRequested(logger: logger)
        for index in handshakes.indices { handshakes[index].check(logger: logger) }
        descriptors.check(now: now, logger: logger)
        if now - lastAcknowledgement >= configuration.acknowledgementInterval {
            acknowledgeAll(now: now)
        }
        var ended: [JobSummary] = []
        // Requests for cross-checks go out in bunches, so that their tasks travel in batches, not one per frame.
        if now - lastCrossCheck >= Self.crossCheckInterval, active.values.contains(where: \.hasCrossChecks) {
            lastCrossCheck = now
            checkCrossChecks(now: now)
            ended += finishCompletedJobs(onReport: onReport)
        }
        for (id, job) in active {
            job.checkProgress(now: now)
            guard now - job.lastProgress > configuration.timeout else { continue }
            let failure =
                "no new result for \(configuration.timeout) (\(job.completed) of \(job.announcement.taskCount) tasks in): "
                + "are workers running and connected to the ventilator and to \(resultsEndpoint)?"
            ended.append(end(id, failure: failure, onReport: onReport))
        }
        return ended
    }

    private func finishCompletedJobs(onReport: (JobSummary) -> Void) -> [JobSummary] {
        active.filter { $0.value.hasEnded }.keys.sorted().map { end($0, failure: nil, onReport: onReport) }
    }

    private func end(_ id: UInt64, failure: String?, onReport: (JobSummary) -> Void) -> JobSummary {
        guard let job = active.removeValue(forKey: id) else { preconditionFailure("ending job \(id), which is not active") }
        if lastJob === job { lastJob = nil }
        acknowledge(job)
        var summary = job.summary(now: .now, failure: failure)
        for worker in summary.workers {
            if let key = workerKeys[worker.workerID] { summary.workerKeys[worker.workerID] = CurveKeyPair.fingerprint(of: key) }
        }
        endedTotals.tasksCompleted += summary.completed - min(summary.completed, job.restoredCompleted)
        endedTotals.duplicates += summary.duplicates - min(summary.duplicates, job.restoredDuplicates)
        endedTotals.jobsEnded[summary.outcome, default: 0] += 1
        endedTotals.add(summary.crossChecks)
        journalEnd(summary.report)
        onReport(summary)
        ended.remember(summary.report)
        publish(summary.report)
        return summary
    }
}
