import PipelineCore
import Wire

/// Acknowledgements: which tasks are aggregated, as runs, in as many frames as they need.
extension Sink {
    /// Acknowledges every job with tasks aggregated since its last acknowledgement.
    func acknowledgeAll(now: ContinuousClock.Instant) {
        lastAcknowledgement = now
        for job in active.values where job.pendingRunCount > 0 {
            acknowledge(job)
        }
    }

    /// Acknowledges the tasks aggregated since the job's last acknowledgement (an empty one when none are).
    func acknowledge(_ job: JobProgress) {
        publishAcknowledgements(of: job, runs: job.takeRuns())
    }

    /// Acknowledges every task of the job aggregated so far, for a ventilator that may know none of them.
    func acknowledgeEverything(_ job: JobProgress) {
        _ = job.takeRuns()
        var runs: [Acknowledgement.Run] = []
        job.forEachDoneRun { run in
            runs.append(run)
            if runs.count == Acknowledgement.maxRuns {
                publishAcknowledgements(of: job, runs: runs)
                runs.removeAll(keepingCapacity: true)
            }
        }
        if !runs.isEmpty || job.completed == 0 { publishAcknowledgements(of: job, runs: runs) }
    }

    /// Publishes `runs` in acknowledgements of at most ``Acknowledgement/maxRuns`` runs each (one when empty).
    private func publishAcknowledgements(of job: JobProgress, runs: [Acknowledgement.Run]) {
        var start = 0
        repeat {
            let end = min(runs.count, start + Acknowledgement.maxRuns)
            // Runs made by the sink from task ids of the job: never empty, never past 2^64.
            if let acknowledgement = try? Acknowledgement(
                jobID: job.announcement.jobID, completed: job.completed, runs: Array(runs[start..<end]))
            {
                publish(acknowledgement)
            }
            start = end
        } while start < runs.count
    }

    func publish(_ message: some WireMessage) {
        message.encode(into: &sendBuffer)
        // PUB never blocks; a dropped acknowledgement is made good by the next (counts are cumulative).
        _ = try? control.send(sendBuffer, flags: .dontWait)
    }
}
