import PipelineCore
import Wire

/// Cross-checks: the requests that get tasks computed by other workers, workers quarantined, checks given up.
extension Sink {
    /// Publishes the requests due, logs workers newly quarantined, and gives up checks no second worker can make.
    func checkCrossChecks(now: ContinuousClock.Instant) {
        var waivedAny = false
        for (id, job) in active.sorted(by: { $0.key < $1.key }) where job.hasCrossChecks {
            let waived = job.waiveLoneChecks(now: now)
            if waived > 0 {
                waivedAny = true
                let text =
                    "job \(id): gave up \(waived) cross-check(s): no second worker that delivers results here can make "
                    + "them, and nothing else was left; their tasks count with one worker's result. Start a second "
                    + "worker, with --results this sink's endpoint, to have them checked"
                logger.warning("\(text)")
            }
            for quarantine in job.takeNewQuarantines() {
                let text =
                    "job \(id): quarantined worker \(hex(quarantine.workerID)): two other workers agreed on task "
                    + "\(quarantine.task) and it did not; it gets no more tasks, and its \(quarantine.retracted) "
                    + "unchecked task(s) are recomputed by others. Check that worker's kernel and hardware"
                logger.warning("\(text)")
            }
            for request in job.takeRecomputeRequests(now: now) { publish(request) }
        }
        // A waiver is decided by time, not by a result: only a checkpoint records it.
        if waivedAny, let journal, journalFailure == nil { rewriteJournal(journal) }
    }
}
