import Logging
import PipelineCore
import Wire

/// The sink's journal: replay at start, a record of each job taken, results accepted and job ended,
/// a rewrite when the file has outgrown the jobs' state, and a pause that keeps jobs for a restart.
extension Sink {
    /// Opens and replays the journal at `path`.
    static func replayJournal(
        _ path: String, sync: Bool, logger: Logger
    ) throws(PipelineError) -> (journal: Journal, jobs: JournalReplay) {
        var jobs = JournalReplay()
        let now = ContinuousClock.now
        let (journal, torn) = try Journal.open(path: path, syncEveryAppend: sync) { (record) throws(JournalCorruption) in
            try jobs.apply(record, now: now)
        }
        jobs.finish()
        if torn > 0 { logger.warning("journal \(path): cut off a torn tail of \(torn) bytes (a crash mid-write)") }
        if !jobs.active.isEmpty || !jobs.ended.isEmpty {
            let done = jobs.active.values.reduce(UInt64(0)) { $0 + $1.completed }
            let text =
                "journal \(path): resumed \(jobs.active.count) job(s) with \(done) tasks already aggregated; "
                + "\(jobs.ended.count) ended job(s) stay ended"
            logger.notice("\(text)")
        }
        return (journal, jobs)
    }

    /// Records the results accepted from one frame, before any of them is acknowledged.
    func journalAcceptedResults() {
        guard let journal, !acceptedResults.isEmpty, journalFailure == nil else { return }
        guard let batch = try? ResultBatch(acceptedResults) else {
            journalFailure = Journal.failure("cannot journal \(acceptedResults.count) results of one frame as one batch")
            return
        }
        record(.results(batch), in: journal)
        if journal.needsRewrite { rewriteJournal(journal) }
    }

    /// Records a job the sink took, before acknowledging it.
    func journalJob(_ announcement: JobAnnouncement) {
        if let journal { record(.job(announcement), in: journal) }
    }

    /// Records how a job ended, so a restarted sink does not resume it.
    func journalEnd(_ report: JobReport) {
        if let journal { record(.ended(report), in: journal) }
    }

    private func record(_ entry: JournalRecord, in journal: Journal) {
        guard journalFailure == nil else { return }
        do {
            try journal.append(entry)
        } catch {
            // Without its journal a restart would lose work: stop rather than acknowledge unrecorded results.
            journalFailure = error
        }
    }

    /// Replaces the journal with the jobs' state: a checkpoint per job in progress, a report per ended job.
    func rewriteJournal(_ journal: Journal) {
        let now = ContinuousClock.now
        let reports = ended.keys.sorted().compactMap { ended[$0] }.map(JournalRecord.ended)
        let checkpoints = active.keys.sorted().compactMap { active[$0] }.map { JournalRecord.checkpoint($0.checkpoint(now: now)) }
        do {
            try journal.rewrite(reports + checkpoints)
        } catch {
            journalFailure = error
        }
    }

    /// Stops with the jobs in progress kept in the journal: acknowledges what is in, syncs the file, and says so.
    func pause() throws(PipelineError) {
        guard let journal else { return }
        acknowledgeAll(now: .now)
        try journal.sync()
        paused = true
        let text =
            "paused with \(active.count) job(s) in progress kept in the journal \(journal.path); a sink started with "
            + "--journal \(journal.path) resumes them, and ventilators wait for it within their --timeout"
        logger.notice("\(text)")
    }
}
