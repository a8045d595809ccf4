import Wire

/// What a job's results add up to: which tasks are in, the running total, each worker's share, and the cross-checks.
///
/// A struct held in one property of ``JobProgress``: a result is one in-place mutation of it, so the hot path pays one
/// dynamic exclusivity check per result instead of one per table it touches.
struct Tally {
    let announcement: JobAnnouncement
    /// The announcement's task ranges, read per result.
    let ranges: TaskRanges
    var completed: UInt64 = 0
    var total: Int128 = 0
    var failure: String?
    var duplicates: UInt64 = 0
    var rejected: UInt64 = 0
    var workers: [WorkerStatistics] = []
    var workerIndex: [UInt64: Int] = [:]
    var lastWorker = 0
    var pendingRuns = PendingRuns()
    var done: TaskBitset
    let checksOn: Bool
    /// Meaningful only when ``checksOn``.
    var checks: CrossChecks
    var quarantinedResults: UInt64 = 0
    /// The ventilator said fewer than two workers can run the job: new checks are given up at once.
    var lone = false

    init(_ announcement: JobAnnouncement) {
        self.announcement = announcement
        ranges = announcement.taskRanges
        done = TaskBitset(count: announcement.taskCount)
        checksOn = announcement.crossChecks.isOn
        checks = CrossChecks(
            plan: announcement.crossChecks, reduction: announcement.reduction,
            taskCount: checksOn ? announcement.taskCount : 0)
    }

    init(_ checkpoint: JobCheckpoint) {
        self.init(checkpoint.announcement)
        done = checkpoint.done
        completed = checkpoint.completed
        total = checkpoint.total
        duplicates = checkpoint.duplicates
        rejected = checkpoint.rejected
        workers = checkpoint.workers
        if let restored = checkpoint.checks { checks = restored }
        for (index, worker) in workers.enumerated() { workerIndex[worker.workerID] = index }
    }

    mutating func accept(_ result: TaskResult) -> JobProgress.Verdict {
        switch intake(result) {
        case .verdict(let verdict): verdict
        case .slot(let slot) where checksOn: acceptChecked(result, slot: slot)
        case .slot(let slot): count(result, slot: slot, busyNanoseconds: result.computeNanoseconds) ? .accepted : .jobFailed
        }
    }

    /// Keeps a result accepted or held, or hands it to `others` with its verdict.
    @inline(__always)
    static func route(
        _ result: TaskResult, _ verdict: JobProgress.Verdict, keep: Bool, into kept: inout [TaskResult],
        others: (TaskResult, JobProgress.Verdict) -> Void
    ) {
        switch verdict {
        case .accepted, .held: if keep { kept.append(result) }
        default: others(result, verdict)
        }
    }

    /// Where a result goes: to its worker's slot, or straight to its verdict.
    enum Intake {
        case slot(Int)
        case verdict(JobProgress.Verdict)
    }

    /// Checks that a result belongs to a task of the job not yet counted, and finds its worker's slot.
    @inline(__always)
    mutating func intake(_ result: TaskResult) -> Intake {
        guard let range = ranges.range(ofTask: result.taskID) else {
            rejected += 1
            return .verdict(.rejected("task \(result.taskID) is beyond the job's \(announcement.taskCount) tasks"))
        }
        guard UInt128(result.elementCount) == UInt128(range.upperBound - range.lowerBound) + 1 else {
            rejected += 1
            return .verdict(
                .rejected("task \(result.taskID) covers \(range), but the result claims \(result.elementCount) elements"))
        }
        guard !done.contains(result.taskID) else {
            duplicates += 1
            // Acknowledge it again: the ventilator re-issued it, so it may have missed the first acknowledgement.
            appendRun(result.taskID)
            return .verdict(.duplicate)
        }
        guard let slot = worker(result.workerID) else {
            rejected += 1
            return .verdict(
                .rejected("the job already has results from \(JobCheckpoint.maxWorkers) worker ids, the most it records"))
        }
        return .slot(slot)
    }

    /// Reduces `result`'s value into the total and counts its task for the worker at `slot`; `false` when the sum
    /// overflowed (the job has failed).
    @inline(__always)
    mutating func count(_ result: TaskResult, slot: Int, busyNanoseconds: UInt64) -> Bool {
        guard let combined = combine(result.partial, task: result.taskID) else { return false }
        count(
            result.taskID, total: combined, slot: slot, elements: UInt128(result.elementCount),
            busyNanoseconds: busyNanoseconds)
        return true
    }

    /// Counts task `task` with the total it makes, crediting the worker at `slot`.
    @inline(__always)
    mutating func count(_ task: UInt64, total combined: Int128, slot: Int, elements: UInt128, busyNanoseconds: UInt64) {
        _ = done.insert(task)
        total = combined
        completed += 1
        workers[slot].tasks += 1
        workers[slot].elements += elements
        workers[slot].busyNanoseconds &+= busyNanoseconds
        appendRun(task)
    }

    /// The number of elements of task `task` of this job.
    func elementCount(of task: UInt64) -> UInt128 {
        guard let range = ranges.range(ofTask: task) else { return 0 }
        return UInt128(range.upperBound - range.lowerBound) + 1
    }

    /// The total with `value` reduced in, or `nil` (and the job failed) when a sum leaves the signed 128-bit range:
    /// a wrapped total would be wrong, so the job ends instead.
    @inline(__always)
    mutating func combine(_ value: Int128, task: UInt64) -> Int128? {
        switch announcement.reduction {
        case .sum:
            let (sum, overflow) = total.addingReportingOverflow(value)
            guard overflow else { return sum }
            failure =
                "the sum overflows the signed 128-bit range at task \(task) (value \(value), "
                + "total so far \(total)): no exact total exists; use a smaller chunk of values, or --reduce min/max"
            return nil
        case .min: return completed == 0 ? value : Swift.min(total, value)
        case .max: return completed == 0 ? value : Swift.max(total, value)
        }
    }

    /// Ends the job as failed: a worker's kernel failed on one of its tasks on every try.
    mutating func fail(_ failure: TaskFailure) -> JobProgress.Verdict {
        guard let range = ranges.range(ofTask: failure.task.taskID), range == failure.task.lo...failure.task.hi else {
            rejected += 1
            return .rejected(
                "a failure report for task \(failure.task.taskID) [\(failure.task.lo), \(failure.task.hi)], "
                    + "which is not a task of this job")
        }
        guard !done.contains(failure.task.taskID) else { return .duplicate }
        self.failure =
            "task \(failure.task.taskID) [\(range.lowerBound), \(range.upperBound)] failed on worker "
            + "\(hex(failure.workerID)): \(failure.reason)"
        return .accepted
    }

    /// The index of a worker's statistics, or `nil` for a new worker when the job records as many as it can;
    /// consecutive results mostly come from the same worker.
    @inline(__always)
    mutating func worker(_ id: UInt64) -> Int? {
        if let slot = knownSlot(of: id) { return slot }
        guard workers.count < JobCheckpoint.maxWorkers else { return nil }
        lastWorker = workers.count
        workerIndex[id] = lastWorker
        workers.append(WorkerStatistics(workerID: id))
        if checksOn { checks.addWorker(slot: lastWorker) }
        return lastWorker
    }

    /// The slot of a worker with results in the job already, or `nil`.
    @inline(__always)
    mutating func knownSlot(of id: UInt64) -> Int? {
        if lastWorker < workers.count && workers[lastWorker].workerID == id { return lastWorker }
        guard let index = workerIndex[id] else { return nil }
        lastWorker = index
        return index
    }

    @inline(__always)
    mutating func appendRun(_ id: UInt64) {
        pendingRuns.append(id)
    }
}
