package import Wire

extension [UInt64: JobReport] {
    /// Keeps an ended job's report, to answer its re-announcements; at most 256 are kept.
    package mutating func remember(_ report: JobReport) {
        self[report.jobID] = report
        if count > 256, let oldest = keys.min() { self[oldest] = nil }
    }
}
