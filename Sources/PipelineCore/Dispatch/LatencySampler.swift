package import Wire

/// Task latency from dispatch to the sink's acknowledgement, sampled on one task id in ``stride``
/// so measuring costs nothing noticeable at millions of tasks per second.
public struct LatencySampler: Sendable {
    /// Every this many task ids, one is timed.
    public static let stride: UInt64 = 16
    /// Room for the samples of a full window in flight, twice over.
    private static let capacity = Int(InFlightWindow.ceiling / stride) * 2

    private var ids: [UInt64]
    private var sent: [ContinuousClock.Instant]
    /// What was measured so far.
    public private(set) var histogram = LatencyHistogram()

    public init() {
        ids = Array(repeating: .max, count: Self.capacity)
        sent = Array(repeating: .now, count: Self.capacity)
    }

    /// Notes the dispatch time of the sampled ids among `range`.
    package mutating func dispatched(_ range: Range<UInt64>, at now: ContinuousClock.Instant) {
        var id = (range.lowerBound + Self.stride - 1) / Self.stride * Self.stride
        while id < range.upperBound {
            let slot = Int(id / Self.stride) % Self.capacity
            ids[slot] = id
            sent[slot] = now
            id += Self.stride
        }
    }

    /// Records the latency of the sampled ids the sink has just acknowledged.
    package mutating func acknowledged(_ run: Acknowledgement.Run, at now: ContinuousClock.Instant) {
        let end = run.first &+ UInt64(run.length)
        guard end > run.first else { return }
        var id = (run.first + Self.stride - 1) / Self.stride * Self.stride
        while id < end {
            let slot = Int(id / Self.stride) % Self.capacity
            if ids[slot] == id {
                histogram.record(now - sent[slot])
                ids[slot] = .max  // a duplicate acknowledgement must not count twice
            }
            id += Self.stride
        }
    }
}

/// Durations in logarithmic buckets (8 per power of two, so within 9 %), for percentiles.
public struct LatencyHistogram: Hashable, Sendable {
    private var buckets = [UInt64](repeating: 0, count: 64 * 8)
    /// How many durations were recorded.
    public private(set) var count: UInt64 = 0
    /// The shortest duration recorded: the latency of a task that waited in no queue.
    public private(set) var minimum: Duration?

    public init() {}

    mutating func record(_ duration: Duration) {
        buckets[Self.bucket(max(1, duration.wholeNanoseconds))] += 1
        count += 1
        minimum = min(minimum ?? duration, duration)
    }

    /// The duration below which `fraction` (0 ... 1) of the recorded ones fall; `nil` when none were recorded.
    public func percentile(_ fraction: Double) -> Duration? {
        guard count > 0 else { return nil }
        let rank = UInt64((Double(count) * fraction).rounded(.up))
        var seen: UInt64 = 0
        for (index, n) in buckets.enumerated() {
            seen += n
            if seen >= max(rank, 1) { return .nanoseconds(Int64(clamping: Self.upperBound(index))) }
        }
        return nil
    }

    /// Values 0 ... 7 have a bucket each; above, each power of two is split in 8 equal buckets.
    static func bucket(_ nanoseconds: UInt64) -> Int {
        guard nanoseconds >= 8 else { return Int(nanoseconds) }
        let power = 63 - nanoseconds.leadingZeroBitCount
        let eighth = Int((nanoseconds >> UInt64(power - 3)) & 7)
        return 8 + (power - 3) * 8 + eighth
    }

    /// The smallest value above every value in `bucket`.
    static func upperBound(_ bucket: Int) -> UInt64 {
        guard bucket >= 8 else { return UInt64(bucket) + 1 }
        let base = UInt64(1) << UInt64((bucket - 8) / 8 + 3)
        return base &+ (base >> 3) &* UInt64((bucket - 8) % 8 + 1)
    }
}
