/// A reading of `ContinuousClock`, stored as whole nanoseconds since a fixed origin.
///
/// The standard library's `ContinuousClock.Instant` is resilient: a struct that stores one has a layout known only at
/// run time, so code reading its later fields (or the fields of a struct that holds it) first asks the type's metadata
/// where they are, and copies of it go through its value witnesses. Structures read for every result store a `Moment`.
package struct Moment: Comparable, Hashable, Sendable {
    private static let origin = ContinuousClock.now
    private let nanoseconds: Int64

    package init(_ instant: ContinuousClock.Instant) {
        nanoseconds = Self.nanoseconds(in: instant - Self.origin)
    }

    private init(nanoseconds: Int64) {
        self.nanoseconds = nanoseconds
    }

    package static func < (lhs: Moment, rhs: Moment) -> Bool { lhs.nanoseconds < rhs.nanoseconds }

    package static func + (lhs: Moment, rhs: Duration) -> Moment {
        Moment(nanoseconds: lhs.nanoseconds &+ nanoseconds(in: rhs))
    }

    package static func - (lhs: Moment, rhs: Moment) -> Duration { .nanoseconds(lhs.nanoseconds &- rhs.nanoseconds) }

    /// `duration` in whole nanoseconds, clamped to what an `Int64` holds (about 292 years either way).
    private static func nanoseconds(in duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else { return seconds < 0 ? .min : .max }
        return whole.addingReportingOverflow(attoseconds / 1_000_000_000).partialValue
    }
}
