import PipelineCore
import Wire
import ZeroMQ

/// Dispatch: workers' requests for work, batches sent to them, and the redelivery clock.
extension Ventilator {
    /// Reads workers' requests for work.
    func drainCredits() throws(PipelineError) {
        while true {
            let routingID: (bytes: [UInt8], hasMore: Bool)?
            let credit: Credit?
            var key: String?
            var address: String?
            do {
                routingID = try tasks.receive(flags: .dontWait)
                guard let routingID, routingID.hasMore else { return }
                credit =
                    try tasks.receiveWithProperties { frame, hasMore, properties in
                        key = properties.userID
                        address = properties.value(of: "Peer-Address")
                        return hasMore ? nil : try? Credit(decoding: frame)
                    } ?? nil
                if credit == nil { _ = try tasks.discardRemainingFrames() }
            } catch {
                throw PipelineError.messaging(error, while: "reading workers' requests")
            }
            if let allowList = configuration.security?.allowList, let routingID, !keyCheck.allows(key, in: allowList) {
                // Its key was taken off the allow list (SIGHUP) after it connected: it gets nothing more.
                revoke(routingID.bytes, key: key)
                continue
            }
            guard let credit, let routingID else {
                malformedFrames += 1
                warnings.warn(logger, "dropped a malformed frame on the task socket; workers send only credits there")
                continue
            }
            let now = ContinuousClock.now
            let arrival = pool.apply(credit, from: routingID.bytes, key: key, address: address, now: now)
            if arrival != .known {
                noteKernels(of: credit, joined: arrival == .joined)
                statusDue = true
            }
            if arrival == .known && credit.isReset {
                // A reset of 0: the worker is leaving, and whatever it holds goes back at once. Otherwise it received
                // nothing for a while: what we sent it before that and is still unacknowledged was lost.
                let leaving = credit.batches == 0
                let lost = tracker.workerLost(
                    routingID.bytes, sentBefore: leaving ? nil : now - JobLimits.idleReset, cause: leaving ? .gone : .reset)
                if lost > 0 {
                    logger.info("worker \(hex(credit.workerID)) holds nothing; re-issuing its \(lost) unacknowledged task(s)")
                }
                settleHealth(now: now)
            }
        }
    }

    /// Forgets a worker whose key is no longer allowed, and re-issues what it held.
    func revoke(_ routingID: [UInt8], key: String?) {
        let fingerprint = key.map(CurveKeyPair.fingerprint(of:)) ?? "(none)"
        guard let index = pool.index(of: routingID) else {
            revokedRequests += 1
            warnings.warn(logger, "ignored a request for work from key \(fingerprint), which is not on the allow list (revoked)")
            return
        }
        let gone = pool.remove(at: index)
        statusDue = true
        let lost = tracker.workerLost(gone.routingID)
        _ = tracker.takeSettlements()  // nothing to learn of a worker that is gone
        revokedRequests += 1
        let who = "worker \(hex(gone.workerID)) (key \(fingerprint))"
        logger.warning("\(who) is no longer on the allow list: it gets no more tasks; re-issuing its \(lost) task(s)")
    }

    /// After the allow list changed: forgets every worker whose key it no longer holds.
    func revokeMembersNoLongerAllowed() {
        guard let allowList = configuration.security?.allowList else { return }
        for member in pool.members where !(member.key.map(allowList.contains) ?? false) {
            revoke(member.routingID, key: member.key)
        }
    }

    /// Logs a worker that joined, or changed its kernels, saying whether it can run the job.
    private func noteKernels(of credit: Credit, joined: Bool) {
        let kernel = configuration.job.kernel
        let what = joined ? "connected" : "now offers \(credit.kernels.map(\.rawValue).joined(separator: ", "))"
        if credit.kernels.contains(kernel) {
            logger.info("worker \(hex(credit.workerID)) \(what); \(pool.count) worker(s)")
            return
        }
        let offers = credit.kernels.map(\.rawValue).joined(separator: ", ")
        let able = pool.able(within: .seconds(10))
        let advice =
            able == 0
            ? "no connected worker can run this job yet: start one that offers '\(kernel)'" : "\(able) other worker(s) can"
        logger.warning(
            "worker \(hex(credit.workerID)) \(what) but does not offer kernel '\(kernel)' (it offers \(offers)); \(advice)")
    }

    /// Sends batches to workers that asked for them, re-issues first, until `window` tasks are in flight
    /// or nobody is asking.
    func dispatch(window: UInt64, batchSize: UInt64) throws(PipelineError) {
        let job = configuration.job
        let now = ContinuousClock.now
        var passed = 0
        while let worker = pool.nextWithCredit(now: now, batchSize: batchSize, held: { tracker.held(by: $0) }) {
            // First what the sink asked for again (not tracked: the sink repeats its request), then re-issues, then new,
            // in one batch: a batch of a few requested tasks would spend a whole credit of the worker's.
            // A suspect worker's next batch is its probe, which must be tracked to be settled: it gets no requested ones.
            // Each kind is taken into an array of its own, so none is copied onto another.
            let requested =
                recompute.isEmpty || pool.members[worker].health.isSuspect
                ? [] : recompute.take(limit: Int(batchSize), for: pool.members[worker].workerID)
            var room = Int(batchSize) - requested.count
            var tracked = room > 0 ? tracker.takeRetries(limit: room) : []
            room -= tracked.count
            let inFlight = tracker.inFlight
            if room > 0 && inFlight < window {
                let fresh = tracker.takeFresh(limit: min(room, Int(clamping: window - inFlight)))
                if tracked.isEmpty { tracked = fresh } else { tracked += fresh }
            }
            guard !requested.isEmpty || !tracked.isEmpty else {
                // Nothing this worker may take; another may take what the sink asked for.
                guard !recompute.isEmpty && passed < pool.count else { return }
                passed += 1
                pool.endTurn()
                continue
            }
            // 1 to batchSize (at most TaskBatch.maxTasks) tasks of this job, so the batch is valid by construction.
            TaskBatch.encode(requested, then: tracked, of: job, into: &sendBuffer)
            let routingID = pool.members[worker].routingID
            do {
                guard try tasks.send(routingID, flags: [.sendMore, .dontWait]), try tasks.send(sendBuffer, flags: .dontWait)
                else {
                    tracker.returnUnsent(tracked)
                    return  // the worker's queue is full: wait for its next request (the sink repeats its own)
                }
            } catch .hostUnreachable {
                tracker.returnUnsent(tracked)
                let gone = pool.remove(at: worker)
                statusDue = true
                let lost = tracker.workerLost(gone.routingID)
                _ = tracker.takeSettlements()
                logger.info("worker \(hex(gone.workerID)) disconnected; \(pool.count) worker(s); re-issuing \(lost) task(s)")
                continue
            } catch {
                throw PipelineError.messaging(error, while: "sending tasks")
            }
            pool.sent(at: worker)
            recomputed += UInt64(requested.count)
            guard !tracked.isEmpty else { continue }
            // A re-issued task's latency counts from its latest send: it measures the pipeline, not the loss.
            for run in tracker.sent(tracked, to: routingID, at: now) { latency.dispatched(run, at: now) }
        }
    }

    /// Tells the sink what only the ventilator knows; best effort, the next one repeats it.
    func sendStatus() {
        reportedReissues = tracker.reissued
        statusDue = false
        let status = DispatchStatus(
            jobID: configuration.job.jobID, dispatched: dispatched, reissued: tracker.reissued,
            workers: UInt32(clamping: connectedWorkers), able: UInt32(clamping: pool.able(within: .seconds(10))))
        status.encode(into: &statusBuffer)
        _ = try? announcements.send(statusBuffer, flags: .dontWait)
    }

    /// The typical time from dispatch to acknowledgement (p99 of sampled tasks; 1 s before any sample).
    var latencyEstimate: Duration {
        latency.histogram.percentile(0.99) ?? .seconds(1)
    }

    /// How long a task may stay unacknowledged before it is sent again: four times the typical
    /// latency, within the configured bounds.
    func redeliveryDeadline() -> Duration {
        let estimate = latency.histogram.count > 0 ? latencyEstimate * 4 : configuration.redeliverAfterMaximum / 6
        return min(configuration.redeliverAfterMaximum, max(configuration.redeliverAfterMinimum, estimate))
    }
}
