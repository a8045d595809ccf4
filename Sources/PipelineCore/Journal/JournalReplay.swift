package import Wire

/// The jobs a journal describes, rebuilt record by record: which are in progress with what state, and how
/// the ended ones ended. Holds no file: `Journal` reads the records, this decides what they mean.
package struct JournalReplay {
    package private(set) var active: [UInt64: JobProgress] = [:]
    package private(set) var ended: [UInt64: JobReport] = [:]
    /// Results restored from result records (checkpoints restore whole jobs at once).
    package private(set) var replayedResults = 0

    package init() {}

    /// Applies one record; rejects one that would take more memory than the sink allows.
    package mutating func apply(_ record: JournalRecord, now: ContinuousClock.Instant) throws(JournalCorruption) {
        switch record {
        case .job(let announcement):
            let id = announcement.jobID
            guard active[id] == nil, ended[id] == nil else { return }
            try checkBudget(adding: announcement, replacing: nil)
            active[id] = JobProgress(announcement, now: now)
        case .results(let batch):
            guard let job = active[batch.jobID] else { return }
            for result in batch.results where job.accept(result) == .accepted { replayedResults += 1 }
        case .checkpoint(let checkpoint):
            let id = checkpoint.announcement.jobID
            try checkBudget(adding: checkpoint.announcement, replacing: id)
            ended[id] = nil
            active[id] = JobProgress(checkpoint, now: now)
        case .ended(let report):
            active[report.jobID] = nil
            ended.remember(report)
        }
    }

    /// Marks everything restored as done before this process, for counters that span restarts.
    package func finish() {
        for job in active.values { job.markRestored() }
    }

    private func checkBudget(adding announcement: JobAnnouncement, replacing id: UInt64?) throws(JournalCorruption) {
        let others = active.taskCount(excluding: id)
        guard others + announcement.taskCount <= JobLimits.maxActiveTasks else {
            throw JournalCorruption(
                "job \(announcement.jobID) would bring the jobs in progress to \(others + announcement.taskCount) tasks, "
                    + "over the sink's limit of \(JobLimits.maxActiveTasks)")
        }
    }
}
