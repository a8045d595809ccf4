import Kernels
public import PipelineCore
public import Wire

/// Report wording shared by the sink's summary and the ventilator's printout.
public enum ReportText {
    /// The lines a ventilator prints for the sink's final report.
    public static func lines(for report: JobReport, job: JobAnnouncement) -> String {
        let seconds = max(Double(report.elapsedNanoseconds) / 1e9, 1e-9)
        return [
            "job \(report.jobID): \(report.outcome)",
            "total: \(report.total)",
            "verified: \(verification(report.outcome, job: job, total: report.total))",
            "tasks: \(report.completed)/\(job.taskCount), duplicates: \(report.duplicates), rejected: \(report.rejected)",
            "elapsed: \(format(seconds)) s, \(format(Double(report.completed) / seconds)) tasks/s",
        ].joined(separator: "\n") + reasonLine(report)
    }

    /// The report's reason: why the job failed, or else what its cross-checks found.
    static func reasonLine(_ report: JobReport) -> String {
        guard !report.reason.isEmpty else { return "" }
        return report.outcome == .failed ? "\nerror: \(report.reason)" : "\ncross-checks: \(report.reason)"
    }

    /// What the ventilator measured itself: the job's duration from its first dispatch, and task latency.
    public static func submitterLines(
        dispatchToReport: Duration, completed: UInt64, reissued: UInt64, workers: Int, latency histogram: LatencyHistogram
    ) -> String {
        let seconds = max(dispatchToReport.inSeconds, 1e-9)
        var lines = [
            "dispatch to report: \(format(seconds)) s, \(format(Double(completed) / seconds)) tasks/s, "
                + "re-issued: \(reissued), workers: \(workers)"
        ]
        if let p50 = histogram.percentile(0.5), let p99 = histogram.percentile(0.99) {
            lines.append(
                "latency (dispatch to acknowledged, \(histogram.count) sampled tasks): "
                    + "p50 \(format(p50.inSeconds * 1e6)) us, p99 \(format(p99.inSeconds * 1e6)) us")
        }
        return lines.joined(separator: "\n")
    }

    /// What the outcome means for this job, naming the independent answer when there is one.
    static func verification(_ outcome: JobReport.Outcome, job: JobAnnouncement, total: Int128) -> String {
        let expected = job.answer.value.map { "\($0)" } ?? "?"
        let source = answerSource(job)
        return switch outcome {
        case .verified: "yes (equals \(source): \(expected))"
        case .mismatch: "NO: \(source) gives \(expected), the workers' total is \(total)"
        case .unverifiable: "n/a (no independent answer for this kernel and range; give one with --expect)"
        case .crossChecked:
            "cross-checked, no independent answer (some tasks were computed by two workers and agreed; see cross-checks; "
                + "give an answer with --expect)"
        default: "no (the job failed)"
        }
    }

    /// Where the job's independent answer comes from, in words.
    static func answerSource(_ job: JobAnnouncement) -> String {
        switch job.answer {
        case .none: "none"
        case .submitted: "the expected total (--expect)"
        case .known: KernelRegistry.kernel(named: job.kernel.rawValue)?.answerSource ?? "the kernel's known answer"
        }
    }

    /// `sum over [1, 100], 4 tasks of 30` with the reduction named when it is not a sum.
    public static func jobLine(_ job: JobAnnouncement) -> String {
        let reduce = job.reduction == .sum ? "" : " (reduce: \(job.reduction))"
        return "\(job.kernel) over [\(job.first), \(job.last)], \(job.taskCount) tasks of \(job.chunk)\(reduce)"
    }
}

func format(_ value: Double) -> String {
    if value >= 100 { return String(Int(value.rounded())) }
    let scaled = (value * 1000).rounded() / 1000
    return "\(scaled)"
}
