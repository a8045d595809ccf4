package import Wire

/// The workers a ventilator knows, by routing id, with how many more task batches each has asked for, whether each
/// offers the job's kernel, how fast each delivers, and whether its tasks come back at all.
///
/// Workers ask for work (`Credit`), so dispatch follows each worker's real pace: a fast worker asks
/// more often and gets more. Taking turns among those with credit keeps equally fast workers even, and the workers
/// that delivered lately are served first, so that of hundreds of processes on a few cores the few that run keep the
/// work. A worker that does not offer the job's kernel is known (and counted) but never sent a task.
///
/// Each worker holds at most its *share* of the tasks in flight: what it delivers in ``shareHorizon``, and never less
/// than ``shareFloor`` batches. A worker that turned over the whole share that held it back gets twice that share at
/// once (so a new worker's share doubles each round trip, and a share measured while it held the worker back does not
/// keep it there); a share shrinks at most by half per ``rateInterval``, and not at all while it holds the worker back. A fast worker's share grows with what it delivers; a slow one, a stopped one, or one whose
/// results never arrive holds a few batches, so it cannot fill the window while the others wait.
package struct WorkerPool {
    /// The most batches one worker may have asked for at once; a larger claim is capped.
    package static let maxCredit = 32
    /// A worker's share is the tasks it delivers in this long.
    package static let shareHorizon: Duration = .milliseconds(100)
    /// The fewest batches a worker may hold, whatever its pace: enough to keep it busy while its next one comes.
    package static let shareFloor: UInt64 = 4
    /// How often each worker's delivery rate is measured.
    package static let rateInterval: Duration = .milliseconds(100)
    /// A worker whose batch was acknowledged within this long is *active*: new turns go to active workers first.
    package static let activeWithin: Duration = .milliseconds(250)

    package struct Member: Equatable {
        package let routingID: [UInt8]
        package let workerID: UInt64
        package var credit: Int
        package var lastHeard: ContinuousClock.Instant
        /// The kernels the worker said it offers, in its last credit.
        package var kernels: [KernelName]
        /// Whether ``kernels`` holds the job's kernel.
        package var isAble: Bool
        /// With CURVE: the public key the worker's connection authenticated with.
        package var key: String?
        /// Where its connection comes from (`Peer-Address`), for messages.
        package var address: String?
        /// Whether its tasks come back.
        package var health = WorkerHealth()
        /// Its results disagreed with the majority's (the sink said so): it gets no more tasks of this job.
        package var quarantined = false
        /// Tasks per second it delivered, smoothed; `nil` until first measured.
        package var rate: Double?
        /// Tasks delivered since its rate was last measured.
        var deliveredSinceSample: UInt64 = 0
        /// Its share beyond the floor, as last measured.
        var shareLimit: UInt64 = 0
        /// The share that held it back since its share last grew, if one did.
        var heldBackAt: UInt64?
        /// Whether its share held it back since its rate was last measured.
        var wasHeldBack = false
        /// Tasks delivered since its share last grew.
        var deliveredSinceGrowth: UInt64 = 0
        /// Its turn ended with nothing it may take: it is not served first as active until its next acknowledgement.
        var passedOver = false
    }

    /// A worker's health changed.
    package enum HealthChange: Equatable {
        /// Its batches are lost while others' are delivered: it gets nothing for `duration`, then one probe batch.
        /// `first` when it was trusted until now.
        case suspended(Member, for: Duration, first: Bool)
        /// It delivered again after a suspension.
        case recovered(Member)
    }

    /// The kernel of the job being dispatched.
    package let kernel: KernelName
    package internal(set) var members: [Member] = []
    /// Index in ``members`` by routing id.
    private var indices: [[UInt8]: Int] = [:]
    private var cursor = 0
    /// The worker whose turn it is, and how many more batches the turn may give it.
    private var turn = (index: 0, left: 0)
    /// When delivery rates were last measured.
    var lastRateSample: ContinuousClock.Instant?

    package var count: Int { members.count }

    package init(kernel: KernelName) {
        self.kernel = kernel
    }

    /// What applying a credit found out.
    package enum Arrival: Equatable {
        /// A worker not seen before.
        case joined
        /// A known worker whose list of kernels changed (it restarted with another configuration).
        case changedKernels
        /// A known worker asking for more.
        case known
    }

    /// Applies a credit.
    package mutating func apply(
        _ credit: Credit, from routingID: [UInt8], key: String? = nil, address: String? = nil,
        now: ContinuousClock.Instant = .now
    ) -> Arrival {
        if let index = indices[routingID] {
            let granted = credit.isReset ? Int(credit.batches) : members[index].credit + Int(credit.batches)
            members[index].credit = min(Self.maxCredit, granted)
            members[index].lastHeard = now
            guard members[index].kernels != credit.kernels else { return .known }
            members[index].kernels = credit.kernels
            members[index].isAble = credit.kernels.contains(kernel)
            return .changedKernels
        }
        indices[routingID] = members.count
        members.append(
            Member(
                routingID: routingID, workerID: credit.workerID, credit: min(Self.maxCredit, Int(credit.batches)),
                lastHeard: now, kernels: credit.kernels, isAble: credit.kernels.contains(kernel), key: key,
                address: address))
        return .joined
    }

    /// Workers heard from within `window` (an idle worker speaks every second; a busy one after each batch).
    package func active(within window: Duration, now: ContinuousClock.Instant = .now) -> Int {
        members.count { now - $0.lastHeard <= window }
    }

    /// Of those, the workers that offer the job's kernel.
    ///
    /// Counted by worker id: connections that share one are one worker to the sink, and cannot check each other. A
    /// suspect or quarantined worker does not count: the sink gives up cross-checks that only such a worker could make.
    package func able(within window: Duration, now: ContinuousClock.Instant = .now) -> Int {
        Set(
            members.lazy.filter { $0.isAble && !$0.quarantined && !$0.health.isSuspect && now - $0.lastHeard <= window }
                .map(\.workerID)
        ).count
    }

    /// Every kernel the workers heard from within `window` offer, sorted, for messages.
    package func kernelsOffered(within window: Duration, now: ContinuousClock.Instant = .now) -> [KernelName] {
        Set(members.filter { now - $0.lastHeard <= window }.flatMap(\.kernels)).sorted()
    }

    /// The index of the worker with `routingID`.
    package func index(of routingID: [UInt8]) -> Int? {
        indices[routingID]
    }

    /// The next worker with credit that offers the job's kernel, may receive (not suspended) and holds less than its
    /// share; `nil` when none is asking. `held` tells how many tasks a worker holds.
    ///
    /// Workers take turns. A turn gives one worker batches in a row while it has credit and room in its share, at
    /// most ``maxCredit`` of them: with hundreds of workers on a few cores, a worker then wakes once for several batches
    /// instead of once for each. The bound keeps any worker from waiting behind another's turn for long, even one
    /// across a slow link, whose requests are always older than a local worker's.
    ///
    /// A new turn goes to the first *active* worker (see ``activeWithin``), in the order they connected, that may take
    /// a batch, and only when none may, to the next of the others in turn. While the window holds less than all the
    /// workers could take, the fewest processes that keep up with it keep the work, their caches warm, and the others
    /// sleep: with 300 worker processes on 2 cores, taking every worker in turn woke a cold process for nearly every
    /// batch, and turns going round the active ones kept about 100 of them running (connection order: the 5 first
    /// took nine tenths of the tasks). Two workers that both run are both fed: the first takes what its credit and
    /// share allow, the second the rest (serving the one acknowledged last first starved the other, as that one
    /// changed with each sweep of acknowledgements).
    package mutating func nextWithCredit(
        now: ContinuousClock.Instant = .now, batchSize: UInt64 = 1, held: ([UInt8]) -> UInt64 = { _ in 0 }
    ) -> Int? {
        if turn.left > 0 && turn.index < members.count && mayTake(at: turn.index, now: now, batchSize: batchSize, held: held) {
            turn.left -= 1
            return turn.index
        }
        guard
            let index = nextInTurn(activeSince: now - Self.activeWithin, now: now, batchSize: batchSize, held: held)
                ?? nextInTurn(activeSince: nil, now: now, batchSize: batchSize, held: held)
        else { return nil }
        cursor = index + 1
        turn = (index, Self.maxCredit - 1)
        return index
    }

    /// With `activeSince`, the first worker that delivered since then, was not passed over (the active ones) and may
    /// take a batch; without, the next worker from ``cursor`` on that may take one.
    private mutating func nextInTurn(
        activeSince: ContinuousClock.Instant?, now: ContinuousClock.Instant, batchSize: UInt64,
        held: ([UInt8]) -> UInt64
    ) -> Int? {
        // Fields read in place, and one instant to compare with: this runs for every turn, over every worker.
        let first = activeSince == nil ? cursor : 0
        for step in 0..<members.count {
            let index = (first + step) % members.count
            if let activeSince {
                guard !members[index].passedOver, let last = members[index].health.lastDelivery, last >= activeSince
                else { continue }
            }
            if mayTake(at: index, now: now, batchSize: batchSize, held: held) { return index }
        }
        return nil
    }

    /// Whether the worker at `index` may be sent a batch now; notes a share that holds it back.
    private mutating func mayTake(
        at index: Int, now: ContinuousClock.Instant, batchSize: UInt64, held: ([UInt8]) -> UInt64
    ) -> Bool {
        guard
            members[index].credit > 0 && members[index].isAble && !members[index].quarantined
                && members[index].health.mayReceive(now: now)
        else { return false }
        let share = share(at: index, batchSize: batchSize)
        guard held(members[index].routingID) < share else {
            members[index].heldBackAt = share
            members[index].wasHeldBack = true
            return false
        }
        return true
    }

    /// Ends the current turn: the next call looks for the next worker, and this one counts as active again only once
    /// its next batch is acknowledged (what only another worker may take then reaches one).
    package mutating func endTurn() {
        turn.left = 0
        if turn.index < members.count { members[turn.index].passedOver = true }
    }

    /// Quarantines every member with worker id `workerID` for the job.
    /// - Returns: those that were not quarantined before.
    package mutating func quarantine(workerID: UInt64) -> [Member] {
        var newly: [Member] = []
        for index in members.indices where members[index].workerID == workerID && !members[index].quarantined {
            members[index].quarantined = true
            newly.append(members[index])
        }
        return newly
    }

    /// Notes a batch sent to the worker at `index`.
    package mutating func sent(at index: Int) {
        members[index].credit -= 1
        members[index].health.sent()
    }

    /// Takes in what became of batches sent (one sweep's, or one lost worker's), and measures delivery rates
    /// about every ``rateInterval``.
    ///
    /// A loss counts against a worker only if another worker delivered after the lost batch was due: `due` after it was
    /// sent (the typical dispatch-to-acknowledgement latency). Deliveries before that say nothing of whether the sink
    /// was taking results when this batch's came: a sink that pauses or restarts loses every worker's batches at once.
    /// - Returns: the workers whose health changed.
    package mutating func apply(
        _ settlements: [RedeliveryTracker.Settlement], now: ContinuousClock.Instant, due: Duration = .zero
    ) -> [HealthChange] {
        var changes: [HealthChange] = []
        var losses: [Int: (tasks: UInt64, sentAt: ContinuousClock.Instant, cause: RedeliveryTracker.Loss)] = [:]
        for settlement in settlements {
            switch settlement {
            case .delivered(let worker, let tasks, _):
                guard let index = indices[worker] else { continue }
                members[index].deliveredSinceSample += tasks
                members[index].passedOver = false
                growShare(at: index, delivered: tasks)
                if members[index].health.delivered(at: now) { changes.append(.recovered(members[index])) }
                losses[index] = nil
            case .raced(let worker, let tasks, let sentAt):
                // Nothing learned of a trusted worker; a suspect one's probe must come back from that worker itself.
                guard let index = indices[worker], members[index].health.isSuspect else { continue }
                losses[index] = (tasks, sentAt, losses[index]?.cause ?? .expired)
            case .lost(let worker, let tasks, let sentAt, let cause):
                guard let index = indices[worker] else { continue }
                let earlier = losses[index]
                losses[index] = (
                    (earlier?.tasks ?? 0) + tasks, min(earlier?.sentAt ?? sentAt, sentAt),
                    earlier?.cause == .reset ? .reset : cause
                )
            }
        }
        // One loss per worker per call: a sweep or a reset that gives up on several batches is one occasion.
        for (index, loss) in losses.sorted(by: { $0.key < $1.key }) {
            let othersDelivered = members.indices.contains {
                $0 != index && (members[$0].health.lastDelivery.map { $0 > loss.sentAt + due } ?? false)
            }
            let first = !members[index].health.isSuspect
            if let duration = members[index].health.lost(
                tasks: loss.tasks, cause: loss.cause, othersDelivered: othersDelivered, now: now)
            {
                changes.append(.suspended(members[index], for: duration, first: first))
            }
        }
        sampleRates(now: now)
        return changes
    }

    /// Workers suspended or on probation now.
    package var suspect: [Member] {
        members.filter(\.health.isSuspect)
    }

    /// Forgets a worker that can no longer be reached.
    package mutating func remove(at index: Int) -> Member {
        let gone = members.remove(at: index)
        turn = (0, 0)
        indices = Dictionary(uniqueKeysWithValues: members.enumerated().map { ($1.routingID, $0) })
        return gone
    }
}
