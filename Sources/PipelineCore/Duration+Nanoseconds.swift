extension Duration {
    /// The duration in whole nanoseconds, clamped to 0 ... UInt64.max.
    package var wholeNanoseconds: UInt64 {
        // Both parts carry the sign: -0.5 s is (0, -5·10^17).
        let (seconds, attoseconds) = components
        guard seconds >= 0, attoseconds >= 0 else { return 0 }
        let (ns, overflow) = UInt64(seconds).multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? .max : ns &+ UInt64(attoseconds / 1_000_000_000)
    }

    /// The duration in seconds as a `Double`, for rates.
    package var inSeconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
