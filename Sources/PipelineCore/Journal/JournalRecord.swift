package import Wire

/// One record of the sink's journal: what the sink learnt or decided, in the order it did.
package enum JournalRecord {
    /// The sink took a job (a job announcement frame).
    case job(JobAnnouncement)
    /// The sink aggregated these results (a result batch frame of the accepted ones).
    case results(ResultBatch)
    /// A job's whole state, replacing the records before it (see ``JobCheckpoint``).
    case checkpoint(JobCheckpoint)
    /// The job ended with this report (a job report frame): it stays ended across restarts.
    case ended(JobReport)

    /// Decodes a record's body, checking it exactly as the network decoders check frames,
    /// and a job's size against the sink's limit.
    package init(decoding body: UnsafeRawBufferPointer) throws(JournalCorruption) {
        if body.count >= 2, body[1] == JobCheckpoint.type {
            self = .checkpoint(try JobCheckpoint(decoding: body))
            return
        }
        let message: AnyMessage
        do {
            message = try AnyMessage(decoding: body)
        } catch {
            throw JournalCorruption("a record of \(body.count) bytes is not a valid frame: \(error)")
        }
        switch message {
        case .jobAnnouncement(let announcement):
            self = .job(try JournalCorruption.withinLimits(announcement))
        case .results(let batch): self = .results(batch)
        case .jobReport(let report): self = .ended(report)
        case .tasks, .acknowledgement, .credit, .dispatchStatus, .taskFailure, .suspectWorker, .recomputeRequest:
            throw JournalCorruption("a \(message.type) record; a journal holds jobs, results, checkpoints and reports")
        }
    }

    package func encode(into buffer: inout [UInt8]) {
        switch self {
        case .job(let announcement): announcement.encode(into: &buffer)
        case .results(let batch): batch.encode(into: &buffer)
        case .checkpoint(let checkpoint): checkpoint.encode(into: &buffer)
        case .ended(let report): report.encode(into: &buffer)
        }
    }
}

/// Why a journal record cannot be replayed: the file was damaged or written by someone else.
package struct JournalCorruption: Error, Equatable {
    package let reason: String

    package init(_ reason: String) {
        self.reason = reason
    }

    /// Decodes an embedded announcement frame and applies the sink's job-size limit.
    package static func validated(_ frame: UnsafeRawBufferPointer) throws(JournalCorruption) -> JobAnnouncement {
        let announcement: JobAnnouncement
        do {
            announcement = try JobAnnouncement(decoding: frame)
        } catch {
            throw JournalCorruption("an invalid job announcement: \(error)")
        }
        return try withinLimits(announcement)
    }

    package static func withinLimits(_ announcement: JobAnnouncement) throws(JournalCorruption) -> JobAnnouncement {
        guard announcement.taskCount <= JobLimits.maxTasks else {
            throw JournalCorruption(
                "job \(announcement.jobID) has \(announcement.taskCount) tasks, over the sink's limit of \(JobLimits.maxTasks)")
        }
        return announcement
    }
}
