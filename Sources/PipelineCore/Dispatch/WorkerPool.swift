package import Wire

/// The workers a ventilator knows, by routing id, with how many more task batches each has asked for.
///
/// Workers ask for work (`Credit`), so dispatch follows each worker's real pace: a fast worker asks
/// more often and gets more. Round-robin among those with credit keeps equally fast workers even.
package struct WorkerPool {
    /// The most batches one worker may have asked for at once; a larger claim is capped.
    package static let maxCredit = 32

    package struct Member {
        package let routingID: [UInt8]
        package let workerID: UInt64
        package var credit: Int
        package var lastHeard: ContinuousClock.Instant
    }

    package private(set) var members: [Member] = []
    private var cursor = 0

    package var count: Int { members.count }

    package init() {}

    /// Applies a credit; returns whether this is a worker not seen before.
    package mutating func apply(_ credit: Credit, from routingID: [UInt8], now: ContinuousClock.Instant = .now) -> Bool {
        if let index = members.firstIndex(where: { $0.routingID == routingID }) {
            let granted = credit.isReset ? Int(credit.batches) : members[index].credit + Int(credit.batches)
            members[index].credit = min(Self.maxCredit, granted)
            members[index].lastHeard = now
            return false
        }
        members.append(
            Member(
                routingID: routingID, workerID: credit.workerID, credit: min(Self.maxCredit, Int(credit.batches)),
                lastHeard: now))
        return true
    }

    /// Workers heard from within `window` (an idle worker speaks every second; a busy one after each batch).
    package func active(within window: Duration, now: ContinuousClock.Instant = .now) -> Int {
        members.count { now - $0.lastHeard <= window }
    }

    /// The next worker with credit, round-robin, or `nil` when nobody is asking for work.
    package mutating func nextWithCredit() -> Int? {
        for step in 0..<members.count {
            let index = (cursor + step) % members.count
            if members[index].credit > 0 {
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
