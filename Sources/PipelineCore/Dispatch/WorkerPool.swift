package import Wire

/// The workers a ventilator knows, by routing id, with how many more task batches each has asked for and
/// whether each offers the job's kernel.
///
/// Workers ask for work (`Credit`), so dispatch follows each worker's real pace: a fast worker asks
/// more often and gets more. Round-robin among those with credit keeps equally fast workers even. A worker
/// that does not offer the job's kernel is known (and counted) but never sent a task.
package struct WorkerPool {
    /// The most batches one worker may have asked for at once; a larger claim is capped.
    package static let maxCredit = 32

    package struct Member {
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
    }

    /// The kernel of the job being dispatched.
    package let kernel: KernelName
    package private(set) var members: [Member] = []
    private var cursor = 0

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
        _ credit: Credit, from routingID: [UInt8], key: String? = nil, now: ContinuousClock.Instant = .now
    ) -> Arrival {
        if let index = members.firstIndex(where: { $0.routingID == routingID }) {
            let granted = credit.isReset ? Int(credit.batches) : members[index].credit + Int(credit.batches)
            members[index].credit = min(Self.maxCredit, granted)
            members[index].lastHeard = now
            guard members[index].kernels != credit.kernels else { return .known }
            members[index].kernels = credit.kernels
            members[index].isAble = credit.kernels.contains(kernel)
            return .changedKernels
        }
        members.append(
            Member(
                routingID: routingID, workerID: credit.workerID, credit: min(Self.maxCredit, Int(credit.batches)),
                lastHeard: now, kernels: credit.kernels, isAble: credit.kernels.contains(kernel), key: key))
        return .joined
    }

    /// Workers heard from within `window` (an idle worker speaks every second; a busy one after each batch).
    package func active(within window: Duration, now: ContinuousClock.Instant = .now) -> Int {
        members.count { now - $0.lastHeard <= window }
    }

    /// Of those, the workers that offer the job's kernel.
    package func able(within window: Duration, now: ContinuousClock.Instant = .now) -> Int {
        members.count { $0.isAble && now - $0.lastHeard <= window }
    }

    /// Every kernel the workers heard from within `window` offer, sorted, for messages.
    package func kernelsOffered(within window: Duration, now: ContinuousClock.Instant = .now) -> [KernelName] {
        Set(members.filter { now - $0.lastHeard <= window }.flatMap(\.kernels)).sorted()
    }

    /// The next worker with credit that offers the job's kernel, round-robin, or `nil` when none is asking.
    package mutating func nextWithCredit() -> Int? {
        for step in 0..<members.count {
            let index = (cursor + step) % members.count
            if members[index].credit > 0 && members[index].isAble {
                cursor = index + 1
                return index
            }
        }
        return nil
    }

    package mutating func consumeCredit(at index: Int) {
        members[index].credit -= 1
    }

    /// Forgets a worker that can no longer be reached.
    package mutating func remove(at index: Int) -> Member {
        members.remove(at: index)
    }
}
