import Testing
import Wire

@testable import PipelineCore

struct LatencyTests {
    @Test func percentilesComeFromTheRightBuckets() {
        var histogram = LatencyHistogram()
        #expect(histogram.percentile(0.5) == nil)
        for _ in 0..<99 { histogram.record(.microseconds(100)) }
        histogram.record(.milliseconds(10))
        let p50 = try! #require(histogram.percentile(0.5))
        let p100 = try! #require(histogram.percentile(1.0))
        // Buckets are within 1/8 of a power of two.
        #expect(p50 >= .microseconds(100) && p50 <= .microseconds(113))
        #expect(p100 >= .milliseconds(10) && p100 <= .microseconds(11_300))
        #expect(histogram.count == 100)
    }

    @Test(arguments: [1, 7, 8, 9, 1_000, 123_456_789, UInt64.max / 2] as [UInt64])
    func everyDurationFallsInABucketThatHoldsIt(nanoseconds: UInt64) {
        let bucket = LatencyHistogram.bucket(nanoseconds)
        #expect(LatencyHistogram.upperBound(bucket) >= nanoseconds)
        #expect(bucket == 0 || LatencyHistogram.upperBound(bucket - 1) <= nanoseconds)
    }

    @Test func theSamplerTimesEverySixteenthTaskOnce() {
        var sampler = LatencySampler()
        let start = ContinuousClock.now
        sampler.dispatched(0..<64, at: start)
        sampler.acknowledged(Acknowledgement.Run(first: 0, length: 40), at: start + .milliseconds(3))
        #expect(sampler.histogram.count == 3)  // ids 0, 16 and 32
        sampler.acknowledged(Acknowledgement.Run(first: 0, length: 64), at: start + .milliseconds(5))
        #expect(sampler.histogram.count == 4)  // 48 is new; 0, 16 and 32 were already counted
        let p50 = sampler.histogram.percentile(0.5)!
        #expect(p50 >= .milliseconds(3) && p50 < .milliseconds(4))
    }
}

struct InFlightWindowTests {
    @Test func aFixedWindowNeverChanges() {
        let start = ContinuousClock.now
        var window = InFlightWindow(fixed: 100, now: start)
        window.observe(completed: 1_000_000, now: start + .milliseconds(100))
        #expect(window.limit == 100)
    }

    @Test func fastTasksGrowTheWindowAndTheBatches() {
        let start = ContinuousClock.now
        var window = InFlightWindow(fixed: nil, now: start)
        #expect(window.limit == InFlightWindow.floor)
        #expect(window.batchSize == 1)
        // 200,020 tasks per second: 160 ms of work is 32,003 tasks; 64 ms is 12,801 (capped at a frame's 2,048).
        window.observe(completed: 10_001, now: start + .milliseconds(50))
        #expect(window.limit == 32_003)
        #expect(window.batchSize == UInt64(TaskBatch.maxTasks))
        // 20 million: the window's ceiling.
        window.observe(completed: 1_010_001, now: start + .milliseconds(100))
        #expect(window.limit == InFlightWindow.ceiling)
    }

    @Test func tasksOfAFewMillisecondsTravelSeveralToAFrame() {
        let start = ContinuousClock.now
        var window = InFlightWindow(fixed: nil, now: start)
        // 810 tasks per second over 2 workers, about 2.5 ms a task: the window holds 160 ms of work, 129 tasks, and a
        // batch an eighth of that, 16 tasks (64 ms of one worker's work would be 25), so a frame's four messages are
        // spread over 40 ms of work instead of 2.5.
        window.observe(completed: 81, now: start + .milliseconds(100), workers: 2)
        #expect(window.limit == 129)
        #expect(window.batchSize == 16)
        // 4 workers at the same pace each: 64 ms of one's work is 25 tasks, within an eighth of a window of 259.
        window.observe(completed: 81 + 162, now: start + .milliseconds(200), workers: 4)
        #expect(window.batchSize == 25)
    }

    @Test func theLastBatchesShrinkSoTheWorkersFinishTogether() {
        let start = ContinuousClock.now
        var window = InFlightWindow(fixed: nil, now: start)
        // 810 tasks per second over 2 workers: batches of 16 while much is left.
        window.observe(completed: 81, now: start + .milliseconds(100), workers: 2)
        #expect(window.batchSize(remaining: 1_000) == 16)
        #expect(window.batchSize(remaining: 64) == 16)
        // Then at most a quarter of what is left, down to a single task (the pool completes 1.6 in 2 ms).
        #expect(window.batchSize(remaining: 20) == 5)
        #expect(window.batchSize(remaining: 9) == 2)
        #expect(window.batchSize(remaining: 3) == 1)
        #expect(window.batchSize(remaining: 0) == 1)
    }

    @Test func fastTasksKeepFullFramesToTheEnd() {
        let start = ContinuousClock.now
        var window = InFlightWindow(fixed: nil, now: start)
        // 20 million tasks per second over 2 workers: the pool completes 40,000 in 2 ms, more than a frame holds.
        window.observe(completed: 1_000_000, now: start + .milliseconds(50), workers: 2)
        #expect(window.batchSize == UInt64(TaskBatch.maxTasks))
        #expect(window.batchSize(remaining: 100) == UInt64(TaskBatch.maxTasks))
    }

    @Test func slowTasksKeepTheFloorAndSingleTaskFrames() {
        let start = ContinuousClock.now
        var window = InFlightWindow(fixed: nil, now: start)
        window.observe(completed: 5, now: start + .milliseconds(500))  // 10 tasks per second
        #expect(window.limit == InFlightWindow.floor)
        #expect(window.batchSize == 1)
    }

    @Test func theFirstRateIsMeasuredSoonButNotBeforeATaskIsDone() {
        let start = ContinuousClock.now
        var window = InFlightWindow(fixed: nil, now: start)
        // Nothing done yet after 20 ms: the workers' first tasks are still running; no rate is taken from that.
        window.observe(completed: 0, now: start + .milliseconds(20), workers: 2)
        #expect(window.batchSize == 1)
        // 12 done after 30 ms (400 tasks per second over 2 workers): measured at once, not 50 ms after the start.
        window.observe(completed: 12, now: start + .milliseconds(30), workers: 2)
        #expect(window.batchSize == 8)  // an eighth of the window: 400 tasks/s for 160 ms, 64 tasks
        // From then on, every 50 ms: 10 ms later is too soon.
        window.observe(completed: 1_000, now: start + .milliseconds(40), workers: 2)
        #expect(window.batchSize == 8)
    }

    @Test func aSlowLinkGrowsTheWindowUntilTheWorkersAreFed() {
        let start = ContinuousClock.now
        var window = InFlightWindow(fixed: nil, now: start)
        // 1,020 tasks per second with 80 ms from dispatch to acknowledgement: 240 ms of work must be in flight.
        window.observe(completed: 51, now: start + .milliseconds(50), latency: .milliseconds(80))
        #expect(window.limit == 244)
    }
}
