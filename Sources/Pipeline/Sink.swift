public import Logging
public import ZeroMQ
import Wire

/// How a ``Sink`` listens and when it gives up.
public struct SinkConfiguration: Sendable {
    /// Bound PULL socket for results (from workers) and job announcements (from ventilators).
    public var resultsEndpoint = DefaultEndpoints.results
    /// Bound PUB socket for acknowledgements and job reports.
    public var controlEndpoint = DefaultEndpoints.control
    /// Exit after this many jobs have ended; 0 serves forever.
    public var jobs = 1
    /// CURVE keys and the allow list of workers and ventilators; `nil` runs in plaintext.
    public var security: CurveSecurity?
    /// Where to journal accepted work so a restarted sink resumes its jobs; `nil` keeps no journal.
    public var journalPath: String?
    /// A job with no new result for this long fails.
    public var timeout: Duration = .seconds(30)
    /// The longest a newly aggregated task waits before it is acknowledged.
    public var acknowledgementInterval: Duration = .milliseconds(2)
    /// How often ``Sink/run(stop:onStatus:onReport:)`` reports its status (about: it checks when idle or every 256 messages).
    public var statusInterval: Duration = .milliseconds(100)

    public init() {}
}

/// Aggregates results: each job's tasks exactly once, verified against the kernel's known answer.
///
/// Owned by the thread that calls ``run(stop:onReport:)``; create it on that thread.
public final class Sink {
    /// The result endpoint actually bound (a `*` port resolved).
    public let resultsEndpoint: String
    /// The control endpoint actually bound.
    public let controlEndpoint: String
    /// Frames on the results socket that were not valid protocol messages.
    public private(set) var malformedFrames: UInt64 = 0
    /// Valid results for jobs this sink has not been told about.
    public private(set) var foreignResults: UInt64 = 0

    private let configuration: SinkConfiguration
    private let logger: Logger
    private let results: Socket
    private let control: Socket
    private var active: [UInt64: JobProgress] = [:]
    /// Reports of ended jobs, to answer re-announcements and recognise late results.
    private var ended: [UInt64: JobReport] = [:]
    private var warnings = RateLimitedWarning()
    private var sendBuffer: [UInt8] = []
    private var lastAcknowledgement = ContinuousClock.now
    /// The job of the previous result: nearly every result belongs to it, so this spares a hash lookup.
    private var lastJob: JobProgress?
    private var messagesSinceCheck = 0
    private var journal: Journal?
    private var journalFailure: PipelineError?
    private let authenticator: CurveAuthenticator?
    /// Results accepted from the frame being handled, journaled together before they are acknowledged.
    private var acceptedResults: [TaskResult] = []
    /// Counts of the jobs that have ended, for ``status(now:)``.
    private var endedTotals = SinkStatus()
    private var lastStatus = ContinuousClock.now

    public init(context: Context, configuration: SinkConfiguration = SinkConfiguration(), logger: Logger) throws(PipelineError) {
        self.configuration = configuration
        self.logger = logger
        authenticator = try configuration.security.map { (security) throws(PipelineError) in
            try CurveAuthenticator(context: context, allowed: security.allowedClients, logger: logger)
        }
        do {
            results = try Socket(context, type: .pull)
            try results.secureAsServer(configuration.security)
            try results.setOption(.maxMessageSize, JobLimits.maxFrameBytes)
            try results.setOption(.receiveTimeout, .milliseconds(100))
            try results.setOption(.receiveHighWaterMark, 10_000)
            // Heartbeats close the pipes of workers that vanished without a word.
            try results.setOption(.heartbeatInterval, .seconds(1))
            try results.setOption(.heartbeatTimeout, .seconds(5))
            control = try Socket(context, type: .pub)
            try control.secureAsServer(configuration.security)
            try control.setOption(.sendHighWaterMark, 10_000)
            // The final report must reach the ventilator even when this process exits right after it.
            try control.setOption(.linger, .seconds(5))
        } catch {
            throw PipelineError.messaging(error, while: "opening the sink's sockets")
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
        if let path = configuration.journalPath { try resume(from: path) }
    }

    deinit {
        // The handler's socket holds the context; stop it so the context can terminate and flush (linger)
        // what this role sent last, such as the final report.
        authenticator?.shutdown()
    }

    /// Replays the journal: every job it holds is active again with the results it had accepted.
    private func resume(from path: String) throws(PipelineError) {
        let (journal, records, torn) = try Journal.open(path: path)
        if torn > 0 { logger.warning("journal \(path): cut off a torn or corrupt tail of \(torn) bytes (a crash mid-write)") }
        var replayed = 0
        for record in records {
            switch record {
            case .jobAnnouncement(let announcement) where active[announcement.jobID] == nil:
                active[announcement.jobID] = JobProgress(announcement, now: .now)
            case .results(let batch):
                guard let job = active[batch.jobID] else { continue }
                for result in batch.results where job.accept(result) == .accepted { replayed += 1 }
            default:
                continue
            }
        }
        if !records.isEmpty {
            logger.notice("journal \(path): resumed \(active.count) job(s) with \(replayed) results already aggregated")
        }
        self.journal = journal
    }

    /// What the sink has done so far, and how far each job in progress has come.
    public func status(now: ContinuousClock.Instant = .now) -> SinkStatus {
        var status = endedTotals
        status.malformedFrames = malformedFrames
        status.foreignResults = foreignResults
        for job in active.values.sorted(by: { $0.announcement.jobID < $1.announcement.jobID }) {
            status.jobs.append(job.status(now: now))
            status.tasksCompleted += job.completed
            status.duplicates += job.duplicates
        }
        return status
    }

    /// Serves jobs until ``SinkConfiguration/jobs`` have ended or `stop` is requested.
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
            if stop.isRequested {
                for id in active.keys.sorted() {
                    summaries.append(end(id, failure: "the sink was stopped", onReport: onReport))
                }
                return summaries
            }
            var received: Bool?
            var idled = false
            do {
                received = try results.receive(flags: .dontWait) { frame, hasMore in handle(frame, hasMore: hasMore) }
                if received == nil {
                    idled = true
                    // Idle: acknowledge now rather than make the ventilator wait, then block briefly.
                    acknowledgeAll(now: .now)
                    received = try results.receive { frame, hasMore in handle(frame, hasMore: hasMore) }
                }
            } catch {
                throw PipelineError.messaging(error, while: "receiving results")
            }
            if let journalFailure { throw journalFailure }
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
        return summaries
    }

    private func checkTimers(onReport: (JobSummary) -> Void) -> [JobSummary] {
        let now = ContinuousClock.now
        if now - lastAcknowledgement >= configuration.acknowledgementInterval {
            acknowledgeAll(now: now)
        }
        var ended: [JobSummary] = []
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

    /// Handles one frame; returns whether a job may have completed.
    private func handle(_ frame: UnsafeRawBufferPointer, hasMore: Bool) -> Bool {
        if hasMore {
            let extra = (try? results.discardRemainingFrames()) ?? 0
            reject("a multipart message (\(extra + 1) frames); every protocol message is one frame")
            return false
        }
        let message: AnyMessage
        do {
            message = try AnyMessage(decoding: frame)
        } catch {
            reject("a malformed frame of \(frame.count) bytes: \(error)")
            return false
        }
        switch message {
        case .results(let batch):
            var completedAJob = false
            acceptedResults.removeAll(keepingCapacity: true)
            for result in batch.results where accept(result) { completedAJob = true }
            if let journal, !acceptedResults.isEmpty {
                do {
                    try journal.append(try! ResultBatch(acceptedResults))
                } catch {
                    // Without its journal a restart would lose work: stop rather than acknowledge unrecorded results.
                    journalFailure = error
                }
            }
            // Only now, with the results journaled, may a full set of runs be acknowledged early.
            if let job = active[batch.jobID], job.pendingRuns.count >= Acknowledgement.maxRuns - TaskBatch.maxTasks {
                acknowledge(job)
            }
            return completedAJob
        case .jobAnnouncement(let announcement):
            announce(announcement)
            return false
        case .dispatchStatus(let status):
            active[status.jobID]?.dispatchStatus = status
            return false
        default:
            reject("a \(message.type) on the results socket, which takes results, job announcements and dispatch status")
            return false
        }
    }

    private func accept(_ result: TaskResult) -> Bool {
        let job: JobProgress
        if let last = lastJob, last.announcement.jobID == result.jobID {
            job = last
        } else if let known = active[result.jobID] {
            job = known
            lastJob = known
        } else {
            if ended[result.jobID] == nil {
                foreignResults += 1
                warnings.warn(logger, "dropped a result for job \(result.jobID), which this sink was not told about")
            }
            return false
        }
        switch job.accept(result) {
        case .accepted:
            if journal != nil { acceptedResults.append(result) }
            return job.isComplete
        case .duplicate:
            return false
        case .rejected(let why):
            malformedFrames += 1
            warnings.warn(logger, "rejected a result from worker \(hex(result.workerID)): \(why)")
            return false
        }
    }

    private func announce(_ announcement: JobAnnouncement) {
        let id = announcement.jobID
        if let report = ended[id] {
            publish(report)
            return
        }
        if let job = active[id] {
            if job.announcement == announcement {
                acknowledge(job)  // a repeat: the ventilator has not heard our acknowledgement yet
            } else {
                reject("an announcement of job \(id) that differs from the one in progress")
            }
            return
        }
        guard announcement.taskCount <= JobLimits.maxTasks else {
            logger.error("refused job \(id): \(announcement.taskCount) tasks is over the limit of \(JobLimits.maxTasks); use a larger chunk")
            publish(try! JobReport(jobID: id, outcome: .failed, total: 0, completed: 0, duplicates: 0, rejected: 0, elapsedNanoseconds: 0))
            return
        }
        if let journal {
            do {
                try journal.append(announcement)
            } catch {
                journalFailure = error
                return
            }
        }
        let job = JobProgress(announcement, now: .now)
        active[id] = job
        logger.info("job \(id): \(announcement.taskCount) tasks over [\(announcement.first), \(announcement.last)]")
        acknowledge(job)
    }

    private func finishCompletedJobs(onReport: (JobSummary) -> Void) -> [JobSummary] {
        active.filter { $0.value.isComplete }.keys.sorted().map { end($0, failure: nil, onReport: onReport) }
    }

    private func end(_ id: UInt64, failure: String?, onReport: (JobSummary) -> Void) -> JobSummary {
        let job = active.removeValue(forKey: id)!
        if lastJob === job { lastJob = nil }
        acknowledge(job)
        let summary = job.summary(now: .now, failure: failure)
        endedTotals.tasksCompleted += summary.completed
        endedTotals.duplicates += summary.duplicates
        endedTotals.jobsEnded[summary.outcome, default: 0] += 1
        onReport(summary)
        ended[id] = summary.report
        if ended.count > 256, let oldest = ended.keys.min() { ended[oldest] = nil }
        publish(summary.report)
        return summary
    }

    private func acknowledgeAll(now: ContinuousClock.Instant) {
        lastAcknowledgement = now
        for job in active.values where !job.pendingRuns.isEmpty {
            acknowledge(job)
        }
    }

    private func acknowledge(_ job: JobProgress) {
        publish(try! Acknowledgement(jobID: job.announcement.jobID, completed: job.completed, runs: job.takeRuns()))
    }

    private func publish(_ message: some WireMessage) {
        message.encode(into: &sendBuffer)
        // PUB never blocks; a dropped acknowledgement is made good by the next (counts are cumulative).
        _ = try? control.send(sendBuffer, flags: .dontWait)
    }

    private func reject(_ why: String) {
        malformedFrames += 1
        warnings.warn(logger, "dropped \(why)")
    }
}
