import Testing

@testable import PipelineCore

/// A worker's probes when nobody else shows that the sink is taking results.
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
}
