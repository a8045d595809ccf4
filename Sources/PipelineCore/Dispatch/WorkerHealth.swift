/// Whether a worker's tasks come back: the ventilator stops feeding a worker whose batches are lost while other
/// workers' are delivered, and tries it again with one batch after a backoff.
///
/// Two losses in a row (each a sweep or an idle reset that gave up on its batches) while another worker delivered
/// since those batches were sent make a worker *suspended*: it gets nothing for ``backoff`` (1 s, doubling to
/// ``maximumBackoff``). Then it is sent one batch, a *probe*; delivered, the worker is trusted again, lost, it is
/// suspended for twice as long; lost while nobody delivered, it is probed again after the same backoff. A worker whose
/// results go to another sink, a peer that asks and never answers, and a
/// worker whose kernel hangs all look like this; a worker that merely left (its losses are not counted) or a pool
/// whose sink is down (nobody delivers) do not.
package struct WorkerHealth: Equatable {
    package static let firstBackoff: Duration = .seconds(1)
    package static let maximumBackoff: Duration = .seconds(60)
    /// Losses in a row, with others delivering, that suspend a worker.
    package static let lossesToSuspend = 2

    package enum State: Equatable {
        case trusted
        /// Gets nothing until `until`, then one probe batch.
        case suspended(until: ContinuousClock.Instant)
        /// Its probe batch is out.
        case probing
    }

    package private(set) var state: State = .trusted
    /// Losses in a row since the worker last delivered.
    package private(set) var losses = 0
    /// Tasks lost since the worker last delivered.
    package private(set) var tasksLost: UInt64 = 0
    /// How long the next suspension lasts.
    package private(set) var backoff: Duration = .zero
    /// When a batch of this worker's was last found delivered.
    package private(set) var lastDelivery: ContinuousClock.Instant?
    /// Why the last losses happened: the worker said it held nothing (its results went elsewhere), or it held its
    /// batches past their deadline.
    package private(set) var lastLoss: RedeliveryTracker.Loss?

    package init() {}

    /// Whether a batch may be sent now; a suspension that has run out makes the next batch the probe.
    package func mayReceive(now: ContinuousClock.Instant) -> Bool {
        switch state {
        case .trusted: true
        case .suspended(let until): now >= until
        case .probing: false
        }
    }

    /// Notes a batch sent: after a suspension, it is the probe.
    package mutating func sent() {
        if case .suspended = state { state = .probing }
    }

    /// A batch of this worker's was delivered: it is trusted again.
    /// - Returns: whether it had been suspended.
    @discardableResult
    package mutating func delivered(at now: ContinuousClock.Instant) -> Bool {
        let wasSuspended = state != .trusted
        state = .trusted
        losses = 0
        tasksLost = 0
        backoff = .zero
        lastDelivery = now
        return wasSuspended
    }

    /// A batch sent at `sentAt` was lost for `cause`; `othersDelivered` says whether another worker's batch was
    /// delivered after it was sent (the sink was taking results).
    /// - Returns: the suspension's length when this loss suspends the worker, else `nil`.
    package mutating func lost(
        tasks: UInt64, cause: RedeliveryTracker.Loss, othersDelivered: Bool, now: ContinuousClock.Instant
    ) -> Duration? {
        guard cause != .gone, othersDelivered else {
            // Nothing learned of the worker (nobody delivered: the sink may be down), but its probe is settled: it gets
            // another after the same backoff, or it would wait for a probe that never comes.
            if state == .probing { state = .suspended(until: now + backoff) }
            return nil
        }
        losses += 1
        tasksLost += tasks
        lastLoss = cause
        let due = state == .probing || (state == .trusted && losses >= Self.lossesToSuspend)
        guard due else { return nil }
        backoff = backoff == .zero ? Self.firstBackoff : min(Self.maximumBackoff, backoff * 2)
        state = .suspended(until: now + backoff)
        return backoff
    }

    /// Whether the worker is suspended or on probation.
    package var isSuspect: Bool { state != .trusted }
}
