public import Wire
import Kernels

/// The lines a ventilator prints for the sink's final report.
public enum ReportText {
    public static func lines(for report: JobReport, job: JobAnnouncement) -> String {
        let expected = KernelRegistry.kernel(for: job.kernel)?.expectedTotal(first: job.first, last: job.last)
        let seconds = max(Double(report.elapsedNanoseconds) / 1e9, 1e-9)
        let verification =
            switch report.outcome {
            case .verified: "yes (equals the closed form)"
            case .mismatch: "NO: expected \(expected.map { "\($0)" } ?? "?"), got \(report.total)"
            case .unverifiable: "n/a (no independent answer for this kernel and range)"
            default: "no (job incomplete)"
            }
        return [
            "job \(report.jobID): \(report.outcome)",
            "total: \(report.total)",
            "verified: \(verification)",
            "tasks: \(report.completed)/\(job.taskCount), duplicates: \(report.duplicates), rejected: \(report.rejected)",
            "elapsed: \(format(seconds)) s, \(format(Double(report.completed) / seconds)) tasks/s",
        ].joined(separator: "\n")
    }
}
