/// How many task batches a worker keeps requested from one ventilator: at least its configured prefetch,
/// and enough to cover the round trip of a request, so a worker across a slow link does not sit idle
/// waiting for its next batch.
///
/// The round trip is measured only on batches that arrived while the worker was idle (a batch that was
/// already waiting says nothing about the link), and the minimum of recent ones is used, so the ventilator's
/// own waits (the end of a job, a full window) do not count. A round trip under ``slowLink`` leaves the target
/// at the configured prefetch: on loopback and LANs the wait is scheduling, not distance. That prefetch is 3 by
/// default: with frames of 2048 one-element tasks, about 0.2 ms of work, 2 left one worker waiting for its next
/// frame (3 ran it 1.16 times as fast, p99 latency 1.08 → 1.51 ms; 4 ran it 1.36 times as fast, but p99 1.90 ms).
package struct CreditPacer {
    /// The most batches requested at once, however slow the link.
    package static let maximum = WorkerPool.maxCredit
    /// Round-trip samples kept for the minimum.
    package static let samples = 16
    /// The shortest round trip that counts as a slow link.
    package static let slowLink: Duration = .milliseconds(1)

    package let minimum: Int
    /// Batches to keep requested.
    package private(set) var target: Int
    /// When each outstanding credit was sent, oldest first; a batch answers the oldest.
    private var requested: [ContinuousClock.Instant] = []
    private var roundTrips: [Duration] = []
    private var nextSample = 0
    /// Smoothed compute time of one batch.
    private var batchCompute: Duration?

    package init(minimum: Int) {
        self.minimum = max(1, minimum)
        target = self.minimum
    }

    /// Credits asked for but not yet answered with a batch.
    package var outstanding: Int { requested.count }

    /// Notes credits sent; a reset replaces every outstanding one.
    package mutating func asked(_ count: Int, reset: Bool, at now: ContinuousClock.Instant) {
        if reset { requested.removeAll(keepingCapacity: true) }
        requested.append(contentsOf: repeatElement(now, count: count))
    }

    /// Notes a batch's arrival; `waited` says whether the worker was idle until it came.
    package mutating func received(at now: ContinuousClock.Instant, waited: Bool) {
        guard !requested.isEmpty else { return }
        let sentAt = requested.removeFirst()
        guard waited else { return }
        if roundTrips.count < Self.samples {
            roundTrips.append(now - sentAt)
        } else {
            roundTrips[nextSample] = now - sentAt
            nextSample = (nextSample + 1) % Self.samples
        }
        retarget()
    }

    /// Notes how long a batch took to compute.
    package mutating func computed(_ duration: Duration) {
        batchCompute = batchCompute.map { ($0 * 7 + duration) / 8 } ?? duration
        retarget()
    }

    /// How many credits to send now to be back at the target.
    package var shortfall: Int { max(0, target - requested.count) }

    private mutating func retarget() {
        guard let roundTrip = roundTrips.min(), let batchCompute, batchCompute > .zero else { return }
        guard roundTrip >= Self.slowLink else {
            target = minimum
            return
        }
        let needed = Int((roundTrip / batchCompute).rounded(.up)) + 1
        target = min(Self.maximum, max(minimum, needed))
    }
}
