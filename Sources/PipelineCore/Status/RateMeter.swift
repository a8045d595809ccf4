/// Tasks per second over the last few seconds, from a running count sampled now and then.
public struct RateMeter: Sendable {
    /// How far back the rate looks.
    public let span: Duration
    private var samples: [(at: ContinuousClock.Instant, count: UInt64)] = []

    public init(span: Duration = .seconds(5)) {
        self.span = span
    }

    /// Records the count at `now`; counts are cumulative, and go down only when work is taken back (a quarantined
    /// worker's tasks), which the rate does not count.
    public mutating func record(_ count: UInt64, at now: ContinuousClock.Instant) {
        samples.append((now, count))
        // Keep one sample older than the span, so the rate always covers a full span once there is one.
        while samples.count > 2, now - samples[1].at >= span { samples.removeFirst() }
    }

    /// Per second over the samples kept; `nil` until two samples are apart in time.
    public var perSecond: Double? {
        guard let first = samples.first, let last = samples.last, last.at > first.at else { return nil }
        return Double(last.count.subtractingReportingOverflow(first.count).overflow ? 0 : last.count - first.count)
            / (last.at - first.at).inSeconds
    }
}
