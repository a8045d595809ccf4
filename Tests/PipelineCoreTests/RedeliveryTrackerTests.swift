import Testing
import Wire

@testable import PipelineCore

/// The ventilator's redelivery decisions, driven with plain values and instants.
@Suite struct RedeliveryTrackerTests {
    let start = ContinuousClock.now
    let alice: [UInt8] = [1]
    let bob: [UInt8] = [2]

    @Test func freshTasksGoOutInOrderAndCountAsInFlightUntilAcknowledged() {
        var tracker = RedeliveryTracker(taskCount: 10)
        let ids = tracker.takeFresh(limit: 4)
        #expect(ids == [0, 1, 2, 3])
        tracker.sent(ids, to: alice, at: start)
        #expect(tracker.inFlight == 4)
        tracker.acknowledge(.init(first: 1, length: 2))
        #expect(tracker.inFlight == 2)
        #expect(tracker.acknowledgedCount == 2)
        #expect(tracker.takeFresh(limit: 100) == Array(4..<10))
        #expect(tracker.allSent)
    }

    /// A resumed job: tasks the sink already has are skipped, not sent, and never count as in flight.
    @Test func tasksAcknowledgedBeforeTheirTurnAreSkipped() {
        var tracker = RedeliveryTracker(taskCount: 10)
        tracker.acknowledge(.init(first: 0, length: 3))
        tracker.acknowledge(.init(first: 5, length: 1))
        #expect(tracker.inFlight == 0)
        #expect(tracker.takeFresh(limit: 3) == [3, 4, 6])
        #expect(tracker.inFlight == 3)
        #expect(tracker.skipped == 4)
        #expect(tracker.takeFresh(limit: 10) == [7, 8, 9])
        #expect(tracker.inFlight == 6)
    }

    @Test func acknowledgementsOutsideTheJobAreIgnored() {
        var tracker = RedeliveryTracker(taskCount: 10)
        tracker.acknowledge(.init(first: 8, length: 100))
        tracker.acknowledge(.init(first: UInt64.max - 1, length: 10))
        #expect(tracker.acknowledgedCount == 2)
    }

    @Test func unacknowledgedTasksAreReissuedOnlyAfterTheirDeadline() {
        var tracker = RedeliveryTracker(taskCount: 10)
        tracker.sent(tracker.takeFresh(limit: 4), to: alice, at: start)
        tracker.acknowledge(.init(first: 0, length: 1))
        tracker.expire(now: start + .milliseconds(500), deadline: .seconds(1), tail: false, tailDeadline: .seconds(1))
        #expect(tracker.takeRetries(limit: 10).isEmpty)
        tracker.expire(now: start + .seconds(2), deadline: .seconds(1), tail: false, tailDeadline: .seconds(1))
        #expect(Set(tracker.takeRetries(limit: 10)) == [1, 2, 3])
        #expect(tracker.reissued == 3)
    }

    @Test func aLostWorkersTasksAreReissuedAtOnceAndOnlyThose() {
        var tracker = RedeliveryTracker(taskCount: 10)
        tracker.sent(tracker.takeFresh(limit: 2), to: alice, at: start)
        tracker.sent(tracker.takeFresh(limit: 2), to: bob, at: start)
        #expect(tracker.workerLost(bob) == 2)
        #expect(Set(tracker.takeRetries(limit: 10)) == [2, 3])
        #expect(tracker.workerLost(bob) == 0)
    }

    @Test func retriesSkipTasksAcknowledgedMeanwhile() {
        var tracker = RedeliveryTracker(taskCount: 10)
        tracker.sent(tracker.takeFresh(limit: 4), to: alice, at: start)
        tracker.workerLost(alice)
        tracker.acknowledge(.init(first: 0, length: 2))
        #expect(Set(tracker.takeRetries(limit: 10)) == [2, 3])
    }

    @Test func idsBecomeRunsOfConsecutiveIds() {
        #expect([UInt64]().consecutiveRuns().isEmpty)
        #expect([UInt64](0..<5).consecutiveRuns() == [0..<5])
        #expect(([3, 4, 9, 10, 11, 2, 2] as [UInt64]).consecutiveRuns() == [3..<5, 9..<12, 2..<3, 2..<3])
    }

    /// Fresh ids come in order, skipping those acknowledged before they were sent (a resumed job's, or a duplicate's).
    @Test func freshIdsSkipThoseAlreadyAcknowledged() {
        var tracker = RedeliveryTracker(taskCount: 10)
        #expect(tracker.takeFresh(limit: 3) == [0, 1, 2])
        tracker.acknowledge(.init(first: 4, length: 2))
        #expect(tracker.takeFresh(limit: 3) == [3, 6, 7])
        #expect(tracker.takeFresh(limit: 5) == [8, 9])
        #expect(tracker.takeFresh(limit: 5).isEmpty && tracker.allSent)
    }

    @Test func stragglersAtTheTailAreReissuedOnce() {
        var tracker = RedeliveryTracker(taskCount: 2)
        tracker.sent(tracker.takeFresh(limit: 2), to: alice, at: start)
        let later = start + .milliseconds(300)
        tracker.expire(now: later, deadline: .seconds(10), tail: true, tailDeadline: .milliseconds(100))
        #expect(Set(tracker.takeRetries(limit: 10)) == [0, 1])
        tracker.expire(now: later + .milliseconds(300), deadline: .seconds(10), tail: true, tailDeadline: .milliseconds(100))
        #expect(tracker.takeRetries(limit: 10).isEmpty)
        // Its copies went to Bob: once acknowledged, Alice's batch proves nothing of her.
        tracker.sent([0, 1], to: bob, at: later + .milliseconds(300))
        tracker.acknowledge(.init(first: 0, length: 2))
        tracker.expire(now: later + .milliseconds(400), deadline: .seconds(10), tail: true, tailDeadline: .milliseconds(100))
        #expect(
            tracker.takeSettlements() == [
                .raced(worker: alice, tasks: 2, sentAt: start),
                .delivered(worker: bob, tasks: 2, sentAt: later + .milliseconds(300)),
            ])
    }

    @Test func unsentTasksComeBackWithoutCountingAsReissues() {
        var tracker = RedeliveryTracker(taskCount: 10)
        let ids = tracker.takeFresh(limit: 3)
        tracker.returnUnsent(ids)
        #expect(Set(tracker.takeRetries(limit: 10)) == Set(ids))
        #expect(tracker.reissued == 0)
    }

    /// A sweep says which batches were delivered and which were lost, with whom, and keeps each worker's holdings.
    @Test func aSweepSettlesDeliveredAndExpiredBatchesByWorker() {
        var tracker = RedeliveryTracker(taskCount: 10)
        tracker.sent(tracker.takeFresh(limit: 2), to: alice, at: start)
        tracker.sent(tracker.takeFresh(limit: 3), to: bob, at: start + .milliseconds(10))
        #expect(tracker.held(by: alice) == 2 && tracker.held(by: bob) == 3)
        // Bob's batch, sent after Alice's, is acknowledged first: found although Alice's is still out.
        tracker.acknowledge(.init(first: 2, length: 3))
        tracker.expire(now: start + .milliseconds(20), deadline: .seconds(1), tail: false, tailDeadline: .seconds(1))
        #expect(tracker.takeSettlements() == [.delivered(worker: bob, tasks: 3, sentAt: start + .milliseconds(10))])
        #expect(tracker.held(by: bob) == 0 && tracker.held(by: alice) == 2)
        tracker.expire(now: start + .seconds(2), deadline: .seconds(1), tail: false, tailDeadline: .seconds(1))
        #expect(tracker.takeSettlements() == [.lost(worker: alice, tasks: 2, sentAt: start, cause: .expired)])
        #expect(tracker.held(by: alice) == 0)
        #expect(tracker.takeSettlements().isEmpty)
    }

    /// An idle reset gives up only on batches sent before it could have been sent: a batch sent since may still be
    /// on its way to the worker, and re-issuing it would only make a duplicate.
    @Test func anIdleResetGivesUpOnlyOnBatchesSentBeforeIt() {
        var tracker = RedeliveryTracker(taskCount: 10)
        tracker.sent(tracker.takeFresh(limit: 2), to: alice, at: start)
        tracker.sent(tracker.takeFresh(limit: 2), to: alice, at: start + .seconds(2))
        let lost = tracker.workerLost(alice, sentBefore: start + .seconds(1), cause: .reset)
        #expect(lost == 2)
        #expect(tracker.takeSettlements() == [.lost(worker: alice, tasks: 2, sentAt: start, cause: .reset)])
        #expect(Set(tracker.takeRetries(limit: 10)) == [0, 1])
        #expect(tracker.held(by: alice) == 2)
    }
}
