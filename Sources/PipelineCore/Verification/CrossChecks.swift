package import Wire

/// The sink's cross-checks of one job: which results wait for another worker's, how disagreements are settled, which
/// workers are quarantined, and what each worker contributed alone, so that a quarantined worker's share of the total
/// can be taken back.
///
/// A task needs the agreement of two workers before it counts when the job's `CrossCheckPlan` covers it, when one of
/// the worker's first ``probation`` results is for it, or when it is already waiting for agreement. Its results are
/// *candidates*; it counts once two candidates from different workers are equal. A candidate that differs from the
/// value two workers agreed on puts its worker in the minority: quarantined for the job. Pure decisions, no IO:
/// ``JobProgress`` feeds it results and applies what it decides; the sink publishes its ``takeRequests(now:isDone:)``.
package struct CrossChecks: Equatable {
    /// Every one of a worker's first results is checked, whatever the plan: a worker that is always wrong is caught
    /// on its first tasks.
    package static let probation: UInt64 = 4
    /// The longest gap of covered tasks a run of tasks counted alone bridges.
    package static let maxBridge: UInt64 = 64
    /// The most candidates one task collects before the job fails: that many workers, all disagreeing.
    package static let maxCandidates = 8
    /// A request is repeated after this long without the results it asked for, then twice as long each time.
    package static let firstRepeat: Duration = .seconds(2)
    package static let maxRepeat: Duration = .seconds(60)
    /// How long checks wait for a second worker when the only one left computed them, before they are given up (at
    /// once when results of two workers never reached the sink during the job).
    package static let loneWait: Duration = .seconds(5)
    /// How many checks wait for a second worker while only one can run the job; new ones past these are given up at
    /// once. A second worker that joins a moment after the first (as when a pool starts) still checks the first's
    /// probation, and a job with one worker holds no more than these until its end.
    package static let heldWhileLone = 64

    /// One worker's result for a task that waits for agreement.
    package struct Candidate: Equatable, Sendable {
        package let workerID: UInt64
        package let value: Int128
    }

    /// A task waiting for agreement.
    package struct Open {
        package var candidates: InlineList<Candidate>
        /// Workers that must not compute it again: each candidate's, and any quarantined since it was opened.
        package var excluded: InlineList<UInt64>
        /// When its request is next due; `nil`: now.
        var due: Moment?
        var repeats = 0
    }

    /// A worker put in the minority.
    package struct Quarantine: Equatable, Sendable {
        package let workerID: UInt64
        /// The task on which the majority disagreed with it.
        package let task: UInt64
        /// Tasks counted from it alone, taken back to be recomputed.
        package let retracted: UInt64
    }

    /// Tasks taken back from a quarantined worker and not yet recomputed.
    package struct Retraction {
        package let workerID: UInt64
        package var runs: [Range<UInt64>]
        var due: Moment?
        var repeats = 0
    }

    /// What became of an offered result.
    package enum Offer: Equatable {
        /// It waits for agreement.
        case waiting
        /// Its worker already offered a result for the task.
        case sameWorker
        /// Two workers agree on its value: the task counts; the workers of `minority` disagreed.
        case agreed(minority: [UInt64])
        /// So many workers disagree that no majority can be found.
        case unresolvable(String)
    }

    /// A request for results: the tasks of `runs`, from any worker but those `excluded`.
    package struct Request: Equatable {
        package let excluded: [UInt64]
        package let quarantine: Bool
        package let runs: [Range<UInt64>]
    }

    package let plan: CrossCheckPlan
    package let reduction: Reduction
    package internal(set) var open = OpenChecks()
    var openBits: TaskBitset
    package internal(set) var ledgers: [Ledger] = []
    /// The reduction of the values counted after two workers agreed.
    package internal(set) var agreedPartial: Int128?
    /// Tasks counted after two workers agreed.
    package internal(set) var agreed: UInt64 = 0
    /// Tasks on which two workers disagreed.
    package internal(set) var disagreements: UInt64 = 0
    /// Checks given up because no other worker was left to make them.
    package internal(set) var waived: UInt64 = 0
    package internal(set) var quarantines: [Quarantine] = []
    package internal(set) var retractions: [Retraction] = []
    /// Tasks opened or changed since requests were last taken, whose entries the next requests read again: due now.
    var fresh: [UInt64] = []
    /// Checks a first result opened since requests were last taken, each with the one worker it excludes: their entries
    /// are already scheduled, so the next requests take them without reading the table again.
    var opened: [Opened] = []
    /// When requests were last taken, the time new checks are scheduled from (at most one round of requests ago).
    var lastRequests: Moment? {
        didSet { firstRepeatDue = lastRequests.map { $0 + Self.backoff(0) } }
    }
    /// When the request of a check opened now is repeated: ``lastRequests`` and the first wait, added once a round,
    /// not once a check.
    private var firstRepeatDue: Moment?
    /// Open tasks the plan does not cover (a worker's probation, a quarantined worker's): while there are none, a
    /// result's task needs agreement exactly when the plan covers it, and the table of open checks is not read.
    var openUncovered = 0
    var nextScan: Moment?
    var loneSince: Moment?

    /// A check opened by a first result, with the worker that computed it.
    struct Opened: Equatable {
        let task: UInt64
        let excluded: UInt64
    }

    package init(plan: CrossCheckPlan, reduction: Reduction, taskCount: UInt64) {
        self.plan = plan
        self.reduction = reduction
        openBits = TaskBitset(count: taskCount)
    }

    /// Makes room for the worker at `slot` of the job's statistics.
    package mutating func addWorker(slot: Int) {
        while ledgers.count <= slot { ledgers.append(Ledger()) }
    }

    /// What to do with a result of the worker at `slot`.
    package enum Admission {
        /// Its worker is quarantined: ignore it.
        case quarantined
        /// Count it from its worker alone.
        case alone
        /// It waits for agreement (``offer(_:workerID:value:)``).
        case agreement
    }

    /// Decides what a result of the worker at `slot` for `task` needs.
    ///
    /// A result counts toward its worker's probation once it is counted alone or offered (``offered(slot:)``), so that
    /// replaying the journal, which holds only those, makes the same decisions.
    @inline(__always)
    package func admit(_ task: UInt64, slot: Int) -> Admission {
        // Fields read in place: a copy of the ledger would retain and release its arrays on every result.
        guard !ledgers[slot].quarantined else { return .quarantined }
        return ledgers[slot].results < Self.probation || needsAgreement(task) ? .agreement : .alone
    }

    /// Whether the worker at `slot` counts results alone: off probation and not quarantined (``admit(_:slot:)`` then
    /// says `.alone` for each task that does not ``needsAgreement(_:)``).
    @inline(__always)
    package func countsAlone(slot: Int) -> Bool {
        !ledgers[slot].quarantined && ledgers[slot].results >= Self.probation
    }

    /// Whether a result for `task` waits for agreement whoever computed it: the plan covers it, or it is open.
    @inline(__always)
    package func needsAgreement(_ task: UInt64) -> Bool {
        plan.covers(task) || (openUncovered > 0 && openBits.contains(task))
    }

    /// Whether `task` waits for agreement.
    package func isOpen(_ task: UInt64) -> Bool { openBits.contains(task) }

    /// Counts an offered result (waiting, agreed or unresolvable) toward its worker's probation.
    package mutating func offered(slot: Int) {
        ledgers[slot].results += 1
    }

    /// Takes a result for a task that waits for agreement.
    package mutating func offer(_ task: UInt64, workerID: UInt64, value: Int128) -> Offer {
        let candidate = Candidate(workerID: workerID, value: value)
        guard openBits.contains(task) else {
            openCheck(task, first: candidate)
            return .waiting
        }
        // Nearly every check's second result: another worker's, equal to the single candidate.
        if open.closeSingle(task, agreeingWith: candidate) { return agree(task, value: value, minority: []) }
        // Taken out of the table while it changes: a task that agrees now leaves it, and one that waits goes back.
        var entry = open.removeValue(forKey: task) ?? Open(candidates: [], excluded: [])
        guard !entry.candidates.contains(where: { $0.workerID == workerID }) else {
            open[task] = entry
            return .sameWorker
        }
        // Agreement closes the task: the entry is not put back, so the new candidate is not added to it.
        if entry.candidates.contains(where: { $0.value == value }) {
            let minority = entry.candidates.count > 1 ? entry.candidates.filter { $0.value != value }.map(\.workerID) : []
            return agree(task, value: value, minority: minority)
        }
        entry.candidates.append(candidate)
        if !entry.excluded.contains(workerID) { entry.excluded.append(workerID) }
        if entry.candidates.count == 2 { disagreements += 1 }
        guard entry.candidates.count < Self.maxCandidates, entry.excluded.count < RecomputeRequest.maxExcluded else {
            let values = entry.candidates.map { "\($0.value) from worker \(hex($0.workerID))" }.joined(separator: ", ")
            open[task] = entry
            return .unresolvable("task \(task): \(entry.candidates.count) workers disagree (\(values)); no two agree")
        }
        entry.due = nil
        open[task] = entry
        fresh.append(task)
        return .waiting
    }

    /// Opens the check of `task`, not open, with its first candidate.
    private mutating func openCheck(_ task: UInt64, first candidate: Candidate) {
        if let firstRepeatDue {
            // Scheduled now, as the next requests would: they need not look the entry up again.
            open.open(task, first: candidate, due: firstRepeatDue, repeats: 1)
            opened.append(Opened(task: task, excluded: candidate.workerID))
        } else {
            open.open(task, first: candidate, due: nil, repeats: 0)
            fresh.append(task)
        }
        insertOpenBit(task)
    }

    /// Closes the check of `task`, already out of the table, on which two workers agree on `value`.
    private mutating func agree(_ task: UInt64, value: Int128, minority: [UInt64]) -> Offer {
        removeOpenBit(task)
        agreed += 1
        agreedPartial = Self.reduce(agreedPartial, value, by: reduction)
        return .agreed(minority: minority)
    }

    /// Records a value counted from the worker at `slot` alone.
    ///
    /// A run of its tasks bridges a short gap of tasks the plan covers (they count only by agreement, never alone, and
    /// a quarantine skips them), so a worker's runs follow its batches, not its batches' checks.
    @inline(__always)
    package mutating func countedAlone(_ task: UInt64, slot: Int, value: Int128) {
        countedAlone(task..<(task + 1), slot: slot, partial: value)
    }

    /// Records `tasks`, consecutive, counted from the worker at `slot` alone, with `partial` the reduction of their
    /// values: the same as each task in turn, in one access to the ledger (the sink's hot path).
    @inline(__always)
    package mutating func countedAlone(_ tasks: Range<UInt64>, slot: Int, partial: Int128) {
        Self.count(tasks, partial, alone: &ledgers[slot], plan: plan, reduction: reduction)
    }

    @inline(__always)
    private static func count(
        _ tasks: Range<UInt64>, _ partial: Int128, alone ledger: inout Ledger, plan: CrossCheckPlan, reduction: Reduction
    ) {
        ledger.results += UInt64(tasks.count)
        ledger.partial = reduce(ledger.hasPartial ? ledger.partial : nil, partial, by: reduction)
        ledger.hasPartial = true
        let (end, task) = (ledger.current.upperBound, tasks.lowerBound)
        if end == task && !ledger.current.isEmpty {
            ledger.current = ledger.current.lowerBound..<tasks.upperBound
        } else if !ledger.current.isEmpty && end < task && task - end <= maxBridge && (end..<task).allSatisfy(plan.covers) {
            ledger.current = ledger.current.lowerBound..<tasks.upperBound
        } else {
            if !ledger.current.isEmpty { ledger.closedRuns.append(ledger.current) }
            ledger.current = tasks
        }
    }

    /// Records a check given up: its single result counts from the worker at `slot` alone.
    package mutating func countedWaived(_ task: UInt64, slot: Int, value: Int128) {
        waived += 1
        ledgers[slot].partial = Self.reduce(ledgers[slot].hasPartial ? ledgers[slot].partial : nil, value, by: reduction)
        ledgers[slot].hasPartial = true
        ledgers[slot].waived.append(task)
    }

    /// The job's total from what is counted now: the agreed values and those of workers not quarantined.
    package func total() -> Int128? {
        ledgers.reduce(agreedPartial) { total, ledger in
            ledger.hasPartial ? Self.reduce(total, ledger.partial, by: reduction) : total
        }
    }

    /// `value` reduced into `partial`. Sums wrap: a partial is part of a total that is checked for overflow as it is
    /// built, and a wrapped part still adds up to the right total.
    @inline(__always)
    package static func reduce(_ partial: Int128?, _ value: Int128, by reduction: Reduction) -> Int128 {
        guard let partial else { return value }
        return switch reduction {
        case .sum: partial &+ value
        case .min: Swift.min(partial, value)
        case .max: Swift.max(partial, value)
        }
    }
}
