import PipelineCore
import Wire
import ZeroMQ

/// The ventilator's side of the sink: the handshake that announces the job, and the acknowledgements and
/// report that come back.
extension Ventilator {
    /// Announces the job until the sink has told this ventilator every task it already aggregated, so no result
    /// reaches the sink before it knows the job, and a resumed job sends no finished task again.
    ///
    /// - Returns: the job's report when the sink already ended it, else `nil`.
    ///
    /// - Parameter onStatus: called about every 100 ms while it waits, so metrics answer from the first moment.
    func handshake(stop: StopFlag, onStatus: (VentilatorStatus) -> Void) throws(PipelineError) -> JobReport? {
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
            // Repeat every 250 ms: the first announcement may beat our subscription to the sink's reports, and
            // each repeat makes the sink send every task it has again.
            let waitUntil = ContinuousClock.now + .milliseconds(250)
            while ContinuousClock.now < waitUntil {
                let ready: Int
                do {
                    ready = try poller.poll(timeout: min(waitUntil - .now, .milliseconds(100)))
                } catch {
                    throw PipelineError.messaging(error, while: "waiting for the sink")
                }
                onStatus(status)
                for index in handshakes.indices { handshakes[index].check(logger: logger) }
                guard ready > 0 else { continue }
                if let report = try drainControl() {
                    guard report.outcome != .failed || report.completed > 0 else {
                        throw PipelineError(
                            .sinkUnreachable,
                            "the sink refused job \(job.jobID): \(report.reason.isEmpty ? "see the sink's log" : report.reason)")
                    }
                    logger.notice("job \(job.jobID) had already ended at the sink: \(report.outcome)")
                    return report
                }
                if handshakeDone { return nil }
            }
        }
        throw PipelineError(
            .sinkUnreachable,
            "the sink did not acknowledge job \(job.jobID) within \(configuration.timeout): is a sink running with "
                + "results on \(configuration.resultsEndpoint) and control on \(configuration.controlEndpoint)? "
                + "With --keys, check that --sink-key is the sink's public key and that the sink's --allow lists ours")
    }

    /// Announces the job again when acknowledgements were missed, at most every 250 ms; the sink answers a repeated
    /// announcement with every task it has. Acknowledgements travel over PUB/SUB, which drops what it cannot deliver:
    /// a restarted sink publishes before this ventilator's subscription reaches it, and the tasks acknowledged then
    /// would otherwise wait for their deadline, their workers charged with losing them.
    func reannounceIfAcknowledgementsWereMissed(now: ContinuousClock.Instant) {
        guard acknowledgementsMissed, lastReannouncement.map({ now - $0 >= .milliseconds(250) }) ?? true else { return }
        acknowledgementsMissed = false
        defer { lastReannouncement = now }
        if lastReannouncement == nil {
            let why = "it restarted, or dropped some"
            logger.info("missed acknowledgements from the sink (\(why)); announcing the job again so it repeats them")
        }
        configuration.job.encode(into: &statusBuffer)
        _ = try? announcements.send(statusBuffer, flags: .dontWait)
    }

    /// Reads every waiting control message; returns our job's report when it has arrived.
    func drainControl() throws(PipelineError) -> JobReport? {
        let jobID = configuration.job.jobID
        while true {
            let message: Result<AnyMessage, WireError>?
            do {
                message = try control.receive(flags: .dontWait) { frame, hasMore in
                    hasMore
                        ? .failure(WireError(.wrongLength, "a multipart message"))
                        : Result { () throws(WireError) in try AnyMessage(decoding: frame) }
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
            case .success(.acknowledgement(let acknowledgement)) where acknowledgement.jobID == jobID:
                let now = ContinuousClock.now
                for run in acknowledgement.runs {
                    latency.acknowledged(run, at: now)
                    tracker.acknowledge(run)
                }
                // Results of tasks already acknowledged (cross-checks, recomputations) are progress too.
                acknowledgedRuns += UInt64(acknowledgement.runs.count)
                // The sink's count covers every task it has; once ours reaches it, we know them all.
                if tracker.acknowledgedCount >= acknowledgement.completed {
                    handshakeDone = true
                } else if handshakeDone {
                    acknowledgementsMissed = true
                }
            case .success(.jobReport(let report)) where report.jobID == jobID:
                return report
            case .success(.recomputeRequest(let request)) where request.jobID == jobID:
                take(request)
            case .success:
                continue  // another job's traffic
            }
        }
    }
}
