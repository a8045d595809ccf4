public import PipelineCore

/// One line of a job's progress, for people watching a sink.
public enum ProgressText {
    /// E.g. `job 42 primes: 512/1024 tasks (50.0%), 1200 tasks/s, ETA 0:04, 3 workers, re-issued 2, duplicates 0`.
    ///
    /// - Parameter rate: recent tasks per second, when known.
    public static func line(for job: JobStatus, rate: Double?) -> String {
        let kernel = job.announcement.kernel
        let total = job.announcement.taskCount
        let percent = (job.fraction * 1000).rounded(.down) / 10
        var parts = ["job \(job.announcement.jobID) \(kernel): \(job.completed)/\(total) tasks (\(percent)%)"]
        if let rate {
            parts.append("\(format(rate)) tasks/s")
            let remaining = Double(total - job.completed)
            parts.append("ETA " + (rate > 0 ? clock(remaining / rate) : (remaining == 0 ? "0:00" : "--:--")))
        } else {
            parts.append("rate --, ETA --:--")
        }
        parts.append(job.workersConnected.map { "\($0) worker\($0 == 1 ? "" : "s")" } ?? "workers ?")
        if let able = job.workersAble, able == 0, let connected = job.workersConnected, connected > 0 {
            parts.append(
                "waiting for a worker that offers kernel '\(kernel)' and delivers (none of the \(connected) connected does; "
                    + "see the ventilator's log)")
        }
        parts.append("re-issued \(job.reissued), duplicates \(job.duplicates)")
        if job.rejected > 0 { parts.append("rejected \(job.rejected)") }
        return parts.joined(separator: ", ")
    }

    /// `m:ss`, or `h:mm:ss` from an hour on; `--:--` past 100 days.
    static func clock(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds < 8_640_000 else { return "--:--" }
        let whole = Int(seconds.rounded(.up))
        let (hours, minutes, secs) = (whole / 3600, whole / 60 % 60, whole % 60)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return hours > 0 ? "\(hours):\(two(minutes)):\(two(secs))" : "\(minutes):\(two(secs))"
    }
}
