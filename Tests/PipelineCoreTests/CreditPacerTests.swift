import Testing

@testable import PipelineCore

struct CreditPacerTests {
    let start = ContinuousClock.now

    @Test func overAFastLinkTheTargetStaysAtThePrefetch() {
        var pacer = CreditPacer(minimum: 2)
        pacer.asked(2, reset: true, at: start)
        pacer.received(at: start + .microseconds(200), waited: true)
        pacer.computed(.milliseconds(5))
        #expect(pacer.target == 2)
        #expect(pacer.shortfall == 1)
        // Even when batches are quicker than the round trip: under 1 ms the wait is scheduling, not distance.
        pacer.asked(1, reset: false, at: start)
        pacer.received(at: start + .microseconds(900), waited: true)
        pacer.computed(.microseconds(10))
        #expect(pacer.target == 2)
    }

    @Test func overASlowLinkTheTargetCoversTheRoundTrip() {
        var pacer = CreditPacer(minimum: 2)
        pacer.asked(2, reset: true, at: start)
        pacer.received(at: start + .milliseconds(40), waited: true)
        pacer.computed(.milliseconds(5))
        #expect(pacer.target == 9)  // 40 ms / 5 ms + 1
        #expect(pacer.shortfall == 8)
    }

    @Test func aBatchThatWasAlreadyWaitingDoesNotTimeTheLink() {
        var pacer = CreditPacer(minimum: 2)
        pacer.asked(2, reset: true, at: start)
        pacer.received(at: start + .seconds(1), waited: false)
        pacer.computed(.milliseconds(1))
        #expect(pacer.target == 2)
        #expect(pacer.outstanding == 1)
    }

    @Test func theQuickestRecentRoundTripCountsAndTheTargetIsCapped() {
        var pacer = CreditPacer(minimum: 2)
        pacer.asked(3, reset: true, at: start)
        pacer.received(at: start + .seconds(2), waited: true)  // the ventilator had nothing to send
        pacer.received(at: start + .milliseconds(10), waited: true)
        pacer.computed(.milliseconds(10))
        #expect(pacer.target == 2)  // 10 ms / 10 ms + 1, not 2 s / 10 ms
        var fast = CreditPacer(minimum: 2)
        fast.asked(1, reset: true, at: start)
        fast.received(at: start + .milliseconds(10), waited: true)
        fast.computed(.microseconds(1))
        #expect(fast.target == CreditPacer.maximum)
    }

    @Test func aResetReplacesEveryOutstandingCredit() {
        var pacer = CreditPacer(minimum: 2)
        pacer.asked(2, reset: true, at: start)
        pacer.asked(1, reset: false, at: start)
        #expect(pacer.outstanding == 3)
        pacer.asked(2, reset: true, at: start)
        #expect(pacer.outstanding == 2)
        pacer.asked(0, reset: true, at: start)
        #expect(pacer.outstanding == 0)
    }
}
