import FoundationEssentials
public import PipelineCore
public import Wire

extension JobSummary {
    /// The report as one line of JSON, for programs: the job, its outcome, and per-worker figures.
    ///
    /// 128-bit numbers (`total`, `expected`, `elements`) are decimal strings, since JSON readers often
    /// hold numbers as doubles.
    public var json: String {
        let seconds = elapsed.inSeconds
        let report = JSONReport(
            jobID: announcement.jobID,
            kernel: announcement.kernel.rawValue, reduction: announcement.reduction.description,
            answerSource: ReportText.answerSource(announcement),
            first: announcement.first, last: announcement.last, chunk: announcement.chunk, tasks: announcement.taskCount,
            outcome: outcome.name, verified: outcome == .verified, total: String(total), expected: expected.map { String($0) },
            completed: completed, duplicates: duplicates, reissued: reissued, rejected: rejected,
            elapsedSeconds: seconds, tasksPerSecond: seconds > 0 ? Double(completed) / seconds : 0,
            workersConnected: workersConnected,
            workers: workers.map { worker in
                JSONReport.Worker(
                    id: hex(worker.workerID), key: workerKeys[worker.workerID], tasks: worker.tasks,
                    elements: String(worker.elements),
                    busySeconds: Double(worker.busyNanoseconds) / 1e9,
                    share: completed > 0 ? Double(worker.tasks) / Double(completed) : 0)
            },
            suspectWorkers: suspectWorkers.map { suspect in
                JSONReport.Suspect(
                    id: hex(suspect.workerID), address: suspect.address.isEmpty ? nil : suspect.address,
                    cause: suspect.cause.name, tasksLost: suspect.tasksLost)
            },
            crossChecks: crossChecks.map { checks in
                JSONReport.CrossChecks(
                    fraction: checks.fraction, agreed: checks.agreed, disagreements: checks.disagreements,
                    waived: checks.waived,
                    quarantinedWorkers: checks.quarantined.map {
                        JSONReport.Quarantined(id: hex($0.workerID), task: $0.task, retracted: $0.retracted)
                    })
            },
            error: failure)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        // Every field is a plain number, string or array, so this cannot fail.
        return String(decoding: try! encoder.encode(report), as: UTF8.self)
    }
}

private struct JSONReport: Encodable {
    struct Worker: Encodable {
        let id: String
        /// With CURVE: the fingerprint of the key that sent its results.
        let key: String?
        let tasks: UInt64
        let elements: String
        let busySeconds: Double
        /// This worker's fraction of the job's completed tasks.
        let share: Double
    }

    let jobID: UInt64
    let kernel: String
    let reduction: String
    let answerSource: String
    let first: UInt64
    let last: UInt64
    let chunk: UInt64
    let tasks: UInt64
    let outcome: String
    let verified: Bool
    let total: String
    let expected: String?
    let completed: UInt64
    let duplicates: UInt64
    let reissued: UInt64
    let rejected: UInt64
    let elapsedSeconds: Double
    let tasksPerSecond: Double
    let workersConnected: Int?
    let workers: [Worker]
    /// Workers the ventilator stopped feeding because their tasks never reached the sink.
    let suspectWorkers: [Suspect]
    /// What the job's cross-checks found (`--verify-fraction`), when it had any.
    let crossChecks: CrossChecks?
    let error: String?

    struct CrossChecks: Encodable {
        let fraction: Double
        /// Tasks counted after two workers agreed on them.
        let agreed: UInt64
        let disagreements: UInt64
        /// Checks that could not be made: no second worker that delivers results was connected.
        let waived: UInt64
        let quarantinedWorkers: [Quarantined]
    }

    struct Quarantined: Encodable {
        let id: String
        /// The task on which the majority outvoted it.
        let task: UInt64
        /// Its unchecked tasks, taken back and recomputed by others.
        let retracted: UInt64
    }

    struct Suspect: Encodable {
        let id: String
        let address: String?
        /// `results_elsewhere` or `held_without_answer`.
        let cause: String
        let tasksLost: UInt64
    }
}

extension SuspectWorker.Cause {
    /// A stable name for programs.
    var name: String {
        switch self {
        case .resultsElsewhere: "results_elsewhere"
        case .heldWithoutAnswer: "held_without_answer"
        }
    }
}

extension JobReport.Outcome {
    /// A stable lower-case name for programs: `verified`, `mismatch`, `unverifiable`, `cross_checked` or `failed`.
    public var name: String {
        switch self {
        case .verified: "verified"
        case .mismatch: "mismatch"
        case .unverifiable: "unverifiable"
        case .failed: "failed"
        case .crossChecked: "cross_checked"
        default: "outcome-\(rawValue)"
        }
    }
}
