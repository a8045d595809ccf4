package import Wire

extension [UInt64: JobReport] {
    /// Keeps an ended job's report, to answer its re-announcements; at most 256 are kept.
    package mutating func remember(_ report: JobReport) {
        self[report.jobID] = report
        if count > 256, let oldest = keys.min() { self[oldest] = nil }
    }
}

extension [UInt64: JobProgress] {
    /// Tasks of all the jobs in progress, but `excluding` one, against ``JobLimits/maxActiveTasks``.
    package func taskCount(excluding excluded: UInt64? = nil) -> UInt64 {
        values.reduce(0) { $0 + ($1.announcement.jobID == excluded ? 0 : $1.announcement.taskCount) }
    }
}
