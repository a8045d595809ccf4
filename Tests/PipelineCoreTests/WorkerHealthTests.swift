import Testing
import Wire

@testable import PipelineCore

/// What the ventilator holds against a worker when nobody else shows that the sink was taking results.
@Suite struct WorkerHealthTests {
    /// A suspended worker whose probe is lost while nobody delivers (the sink is down, or every worker is suspended
    /// after it came back) is probed again after the same backoff; it used to wait for a probe that never came, and a
    /// pool whose workers were all suspended stalled until the ventilator's timeout.
    @Test func aProbeLostWhileNobodyDeliversIsFollowedByAnotherProbe() {
        let start = ContinuousClock.now
        var health = WorkerHealth()
        _ = health.lost(tasks: 4, cause: .expired, othersDelivered: true, now: start)
        let suspension = health.lost(tasks: 4, cause: .expired, othersDelivered: true, now: start)
        #expect(suspension == WorkerHealth.firstBackoff)
        #expect(!health.mayReceive(now: start + .milliseconds(999)))
        #expect(health.mayReceive(now: start + WorkerHealth.firstBackoff))
        health.sent()  // the probe
        #expect(health.state == .probing && !health.mayReceive(now: start + .seconds(2)))

        let lostAt = start + .seconds(3)
        #expect(health.lost(tasks: 1, cause: .reset, othersDelivered: false, now: lostAt) == nil)
        #expect(health.isSuspect)
        #expect(!health.mayReceive(now: lostAt + .milliseconds(999)))
        #expect(health.mayReceive(now: lostAt + WorkerHealth.firstBackoff), "the worker waits for a probe that never comes")
        // Not held against it: the backoff did not double, and its next probe, delivered, makes it trusted.
        health.sent()
        #expect(health.backoff == WorkerHealth.firstBackoff)
        let wasSuspect = health.delivered(at: lostAt + .seconds(2))
        #expect(wasSuspect)
        #expect(health.state == .trusted)
    }

    /// A sink that pauses or restarts loses every worker's batches at once, and the first deliveries after it
    /// returns would otherwise count as proof that the sink was taking results while those batches were lost.
    @Test func onlyADeliveryAfterTheLostBatchWasDueCountsAgainstAWorker() throws {
        var pool = WorkerPool(kernel: try KernelName("sum"))
        let start = ContinuousClock.now
        for worker: UInt64 in [1, 2] {
            let credit = try Credit(batches: 8, isReset: false, workerID: worker, kernels: [KernelName("sum")])
            _ = pool.apply(credit, from: [UInt8(worker)], now: start)
        }
        let due = Duration.milliseconds(200)
        // Worker 1 delivers 100 ms after worker 2's batch was sent: before that batch was due, so it proves nothing.
        _ = pool.apply([.delivered(worker: [1], tasks: 4, sentAt: start)], now: start + .milliseconds(100), due: due)
        let lost = RedeliveryTracker.Settlement.lost(worker: [2], tasks: 4, sentAt: start, cause: .expired)
        for second in 1...3 {
            #expect(pool.apply([lost], now: start + .seconds(second), due: due).isEmpty)
        }
        #expect(pool.suspect.isEmpty)
        // Once worker 1 delivers after the batch was due, two such losses suspend worker 2.
        _ = pool.apply([.delivered(worker: [1], tasks: 4, sentAt: start)], now: start + .milliseconds(300), due: due)
        #expect(pool.apply([lost], now: start + .seconds(4), due: due).isEmpty)
        #expect(pool.apply([lost], now: start + .seconds(4), due: due).count == 1)
        #expect(pool.suspect.map(\.workerID) == [2])
    }
}
