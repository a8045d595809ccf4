extension CrossChecks {
    /// What one worker contributed alone (results counted without a second worker's), at its slot in the job's
    /// worker statistics.
    package struct Ledger: Equatable {
        /// The reduction of its values counted alone; meaningful when ``hasPartial``.
        package var partial: Int128 = 0
        package var hasPartial = false
        /// The tasks counted from it alone, as runs that may also hold tasks the plan covers (see
        /// ``countedAlone(_:slot:value:)``): the closed ones, then the one it is extending.
        package var closedRuns: [Range<UInt64>] = []
        var current: Range<UInt64> = 0..<0
        /// Checks given up whose single result was its own.
        package var waived: [UInt64] = []
        /// Its results offered so far (its probation ends after ``probation``).
        package var results: UInt64 = 0
        package var quarantined = false

        package init(
            partial: Int128? = nil, runs: [Range<UInt64>] = [], waived: [UInt64] = [], results: UInt64 = 0,
            quarantined: Bool = false
        ) {
            self.partial = partial ?? 0
            hasPartial = partial != nil
            closedRuns = runs
            self.waived = waived
            self.results = results
            self.quarantined = quarantined
        }

        /// Every run, closed or not.
        package var runs: [Range<UInt64>] { current.isEmpty ? closedRuns : closedRuns + [current] }

        package static func == (lhs: Ledger, rhs: Ledger) -> Bool {
            (lhs.hasPartial ? lhs.partial : nil) == (rhs.hasPartial ? rhs.partial : nil) && lhs.runs == rhs.runs
                && lhs.waived == rhs.waived && lhs.results == rhs.results && lhs.quarantined == rhs.quarantined
        }
    }
}
