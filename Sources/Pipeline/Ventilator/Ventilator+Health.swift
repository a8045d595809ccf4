import PipelineCore
import Wire

/// Workers whose tasks never come back: named in the log and to the sink, and fed again once they deliver.
extension Ventilator {
    /// Takes what became of the batches sent since the last call into the workers' health, a loss counting against a
    /// worker only if another delivered after the lost batch was due (the typical dispatch-to-acknowledgement latency).
    func settleHealth(now: ContinuousClock.Instant) {
        noteHealth(pool.apply(tracker.takeSettlements(), now: now, due: latencyEstimate))
    }

    /// Logs each change in a worker's health, and tells the sink of each suspension so its report names the worker.
    func noteHealth(_ changes: [WorkerPool.HealthChange]) {
        if !changes.isEmpty { statusDue = true }
        for change in changes {
            switch change {
            case .suspended(let member, _, _) where member.quarantined:
                continue  // its results are ignored by design; it gets nothing more anyway
            case .suspended(let member, let duration, let first):
                let notice = SuspectWorker(
                    jobID: configuration.job.jobID, workerID: member.workerID,
                    cause: member.health.lastLoss == .reset ? .resultsElsewhere : .heldWithoutAnswer,
                    tasksLost: member.health.tasksLost,
                    suspendedMilliseconds: UInt32(clamping: duration.wholeNanoseconds / 1_000_000),
                    address: member.address ?? "")
                let text = notice.explanation(sink: configuration.resultsEndpoint)
                if first { logger.warning("\(text)") } else { logger.info("\(text)") }
                notice.encode(into: &statusBuffer)
                _ = try? announcements.send(statusBuffer, flags: .dontWait)
            case .recovered(let member):
                logger.notice("worker \(hex(member.workerID)) delivers again: it gets tasks as before")
            }
        }
    }

    /// Queues the tasks the sink asked for again, and stops feeding a worker it quarantined.
    func take(_ request: RecomputeRequest) {
        if request.quarantine, let workerID = request.excluded.first {
            for member in pool.quarantine(workerID: workerID) {
                statusDue = true
                // Whatever it holds will not count: send it to others now, without holding it against the worker.
                tracker.workerLost(member.routingID)
                _ = tracker.takeSettlements()
                let text =
                    "worker \(hex(workerID)) (\(member.address ?? "address unknown")) is quarantined for job "
                    + "\(configuration.job.jobID): its results disagreed with two other workers' on the same task; it gets "
                    + "no more tasks of this job, and the sink has its unchecked tasks recomputed. Check its kernel and hardware"
                logger.warning("\(text)")
            }
        }
        recompute.add(request, taskCount: configuration.job.taskCount)
    }
}
