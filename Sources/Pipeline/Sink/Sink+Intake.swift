import PipelineCore
import Wire
import ZeroMQ

/// What the sink does with each frame on its results socket: results, job announcements, dispatch status.
extension Sink {
    /// Handles one frame; returns whether a job may have ended.
    func handle(_ frame: UnsafeRawBufferPointer, hasMore: Bool, from properties: FrameProperties) -> Bool {
        // With CURVE, the ZAP handler made each connection's User-Id its public key: a key taken off the allow list
        // (SIGHUP) is refused from its next frame on, not only at its next handshake.
        var sender: String?
        if let allowList = configuration.security?.allowList {
            sender = properties.userID
            guard keyCheck.allows(sender, in: allowList) else {
                revokedFrames += 1
                if hasMore { _ = try? results.discardRemainingFrames() }
                warnings.warn(
                    logger,
                    "dropped a frame from key \(sender.map(CurveKeyPair.fingerprint(of:)) ?? "(none)"), which is not on the "
                        + "allow list (revoked)")
                return false
            }
        }
        return handle(frame, hasMore: hasMore, sender: sender)
    }

    /// Whether `key` may send results as `workerID`: the first key to use an id keeps it.
    private func claim(_ workerID: UInt64, by key: String?) -> Bool {
        guard let key else { return true }
        if let owner = workerKeys[workerID] {
            guard owner == key else {
                claimedFrames += 1
                warnings.warn(
                    logger,
                    "refused results from key \(CurveKeyPair.fingerprint(of: key)) as worker \(hex(workerID)), an id key "
                        + "\(CurveKeyPair.fingerprint(of: owner)) uses: give each worker an id of its own (--id)")
                return false
            }
            return true
        }
        // Bounded: past a million ids, new ones go unbound rather than grow the table.
        if workerKeys.count < 1 << 20 { workerKeys[workerID] = key }
        return true
    }

    private func handle(_ frame: UnsafeRawBufferPointer, hasMore: Bool, sender: String?) -> Bool {
        if hasMore {
            let extra = (try? results.discardRemainingFrames()) ?? 0
            reject("a multipart message (\(extra + 1) frames); every protocol message is one frame")
            return false
        }
        let message: AnyMessage
        do {
            // Results, nearly every frame, are counted in place: no array of them is made.
            if try MessageType(peekingAt: frame) == .result { return handleResults(try ResultBatchFrame(frame), sender: sender) }
            message = try AnyMessage(decoding: frame)
        } catch {
            reject("a malformed frame of \(frame.count) bytes: \(error)")
            return false
        }
        switch message {
        case .results:
            return false  // read in place above
        case .jobAnnouncement(let announcement):
            announce(announcement)
            return false
        case .dispatchStatus(let status):
            active[status.jobID]?.dispatchStatus = status
            return false
        case .suspectWorker(let suspect):
            guard let job = active[suspect.jobID] else { return false }
            if job.suspects[suspect.workerID] == nil {
                suspectWorkersNamed += 1
                logger.warning("job \(suspect.jobID): \(suspect.explanation(sink: configuration.resultsEndpoint))")
            }
            job.note(suspect)
            return false
        case .taskFailure(let failure):
            guard claim(failure.workerID, by: sender) else { return false }
            return fail(failure)
        case .tasks, .acknowledgement, .jobReport, .credit, .recomputeRequest:
            reject(
                "a \(message.type) on the results socket, which takes results, task failures, job announcements and "
                    + "dispatch status")
            return false
        }
    }

    /// Takes a frame of results from a worker whose key (with CURVE) is `sender`; returns whether a job may have ended.
    private func handleResults(_ batch: ResultBatchFrame, sender: String?) -> Bool {
        guard claim(batch.workerID, by: sender) else { return false }
        acceptedResults.removeAll(keepingCapacity: true)
        let completedAJob = accept(batch)
        journalAcceptedResults()
        // Only now, with the results journaled, may a full set of runs be acknowledged early.
        if journalFailure == nil, let job = active[batch.jobID],
            job.pendingRunCount >= Acknowledgement.maxRuns - TaskBatch.maxTasks
        {
            acknowledge(job)
        }
        // A job left with only its checks: request them, or give them up, now rather than at the next tick.
        if !completedAJob, let job = active[batch.jobID], job.waitsOnlyForChecks {
            checkCrossChecks(now: .now)
            return job.hasEnded
        }
        return completedAJob
    }

    /// Takes a frame's results; returns whether their job ended (complete, or failed).
    private func accept(_ batch: ResultBatchFrame) -> Bool {
        let job: JobProgress
        if let last = lastJob, last.announcement.jobID == batch.jobID {
            job = last
        } else if let known = active[batch.jobID] {
            job = known
            lastJob = known
        } else {
            if ended[batch.jobID] == nil {
                foreignResults += UInt64(batch.count)
                warnings.warn(logger, "dropped a result for job \(batch.jobID), which this sink was not told about")
            }
            return false
        }
        var failed = false
        // A held result is not counted yet, but its candidate value is state a restarted sink must have.
        job.accept(frame: batch, keep: journal != nil, into: &acceptedResults) { result, verdict in
            switch verdict {
            case .accepted, .held, .duplicate:
                break
            case .quarantined:
                quarantinedResults += 1
            case .jobFailed:
                failed = true
            case .rejected(let why):
                malformedFrames += 1
                warnings.warn(logger, "rejected a result from worker \(hex(result.workerID)): \(why)")
            }
        }
        if failed { logger.error("job \(job.announcement.jobID): \(job.failure ?? "failed")") }
        return failed || job.isComplete
    }

    /// Ends a job whose task a worker's kernel failed on every try; returns whether it did.
    private func fail(_ failure: TaskFailure) -> Bool {
        guard let job = active[failure.jobID] else {
            if ended[failure.jobID] == nil {
                foreignResults += 1
                warnings.warn(logger, "dropped a task failure for job \(failure.jobID), which this sink was not told about")
            }
            return false
        }
        switch job.fail(failure) {
        case .accepted:
            logger.error("job \(failure.jobID): \(job.failure ?? failure.reason)")
            return true
        case .duplicate, .jobFailed, .held, .quarantined:
            return false
        case .rejected(let why):
            malformedFrames += 1
            warnings.warn(logger, "rejected a task failure from worker \(hex(failure.workerID)): \(why)")
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
            if job.announcement.isSameJob(as: announcement) {
                // A repeat: the ventilator has not heard us yet, or it restarted and must learn what is done.
                acknowledgeEverything(job)
            } else {
                reject("an announcement of job \(id) that differs from the one in progress")
            }
            return
        }
        if let refusal = refusal(of: announcement) {
            logger.error("refused job \(id): \(refusal)")
            if let report = try? JobReport(
                jobID: id, outcome: .failed, total: 0, completed: 0, duplicates: 0, rejected: 0, elapsedNanoseconds: 0,
                reason: "the sink refused the job: \(refusal)")
            {
                publish(report)
            }
            return
        }
        // The sink's own salt picks the cross-checked tasks; it never leaves the sink, so no worker can tell them.
        let announcement = announcement.crossChecks.isOn ? announcement.withCheckSalt(.random(in: 1...UInt64.max)) : announcement
        journalJob(announcement)
        guard journalFailure == nil else { return }
        let job = JobProgress(announcement, now: .now)
        active[id] = job
        logger.info("job \(id): \(announcement.taskCount) tasks over [\(announcement.first), \(announcement.last)]")
        acknowledge(job)
    }

    /// Why the sink cannot take a job, or `nil` when it can.
    private func refusal(of announcement: JobAnnouncement) -> String? {
        guard announcement.taskCount <= JobLimits.maxTasks else {
            return "\(announcement.taskCount) tasks is over the limit of \(JobLimits.maxTasks); use a larger chunk"
        }
        let tracked = active.taskCount()
        guard tracked + announcement.taskCount <= JobLimits.maxActiveTasks else {
            return "the \(active.count) jobs in progress already hold \(tracked) tasks, and the sink tracks at most "
                + "\(JobLimits.maxActiveTasks) at once; wait for them to end, or run another sink"
        }
        return nil
    }

    func reject(_ why: String) {
        malformedFrames += 1
        warnings.warn(logger, "dropped \(why)")
    }
}
