public import PipelineCore

extension JobSummary {
    /// A multi-line report for people.
    public var text: String {
        let seconds = max(elapsed.inSeconds, 1e-9)
        let elements = Double(announcement.elementCount)
        var lines = [
            "job \(announcement.jobID): \(ReportText.jobLine(announcement))",
            "total: \(total)",
            "verified: \(ReportText.verification(outcome, job: announcement, total: total))",
            "tasks: \(completed)/\(announcement.taskCount), duplicates: \(duplicates), re-issued: \(reissued), "
                + "rejected: \(rejected)",
            "elapsed: \(format(seconds)) s, \(format(Double(completed) / seconds)) tasks/s, "
                + "\(format(completed == announcement.taskCount ? elements / seconds : 0)) elements/s",
        ]
        lines.append(
            "workers: \(workers.count) contributed"
                + (workersConnected.map { ", \($0) connected to the ventilator at the end" } ?? ""))
        for worker in workers {
            lines.append(
                "  worker \(hex(worker.workerID)): \(worker.tasks) tasks, \(worker.elements) elements, "
                    + "busy \(format(Double(worker.busyNanoseconds) / 1e9)) s"
                    + (workerKeys[worker.workerID].map { ", key \($0)" } ?? ""))
        }
        for suspect in suspectWorkers {
            lines.append("  suspect \(suspect.explanation())")
        }
        if let crossChecks { lines.append("cross-checks: \(crossChecks.text)") }
        if let failure { lines.append("error: \(failure)") }
        return lines.joined(separator: "\n")
    }

}
