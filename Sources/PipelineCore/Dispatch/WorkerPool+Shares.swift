/// Shares: how many tasks each worker may hold, from what it delivers.
extension WorkerPool {
    /// The most tasks the worker at `index` may hold: its measured share, at least ``shareFloor`` batches.
    package func share(at index: Int, batchSize: UInt64) -> UInt64 {
        max(Self.shareFloor * max(1, batchSize), members[index].shareLimit)
    }

    /// A worker that turned over the whole share that held it back gets twice that share at once: a new worker's
    /// share grows by doubling each round trip, as fast as it shows it can take more, not once per rate interval.
    mutating func growShare(at index: Int, delivered: UInt64) {
        members[index].deliveredSinceGrowth += delivered
        guard let heldBackAt = members[index].heldBackAt, members[index].deliveredSinceGrowth >= heldBackAt else { return }
        members[index].shareLimit = max(members[index].shareLimit, heldBackAt.multipliedReportingOverflow(by: 2).partialValue)
        members[index].heldBackAt = nil
        members[index].deliveredSinceGrowth = 0
    }

    /// Measures each worker's delivery rate about every ``rateInterval``, and its share from it.
    mutating func sampleRates(now: ContinuousClock.Instant) {
        guard let last = lastRateSample else {
            lastRateSample = now
            return
        }
        let elapsed = now - last
        guard elapsed >= Self.rateInterval else { return }
        lastRateSample = now
        for index in members.indices {
            let delivered = members[index].deliveredSinceSample
            let sample = Double(delivered) / elapsed.inSeconds
            let rate = members[index].rate.map { ($0 + sample) / 2 } ?? sample
            var limit = max(
                UInt64(min(Double(UInt64.max / 4), rate * Self.shareHorizon.inSeconds)), members[index].shareLimit / 2)
            // A share that held the worker back was not too big: it does not shrink.
            if members[index].wasHeldBack { limit = max(limit, members[index].shareLimit) }
            members[index].rate = rate
            members[index].shareLimit = limit
            members[index].deliveredSinceSample = 0
            members[index].wasHeldBack = false
        }
    }
}
