import Kernels
public import PipelineCore

extension JobSummary {
    /// A multi-line report for people.
    public var text: String {
        let kernel = KernelRegistry.kernel(for: announcement.kernel)?.name ?? "kernel \(announcement.kernel.rawValue)"
        let seconds = max(elapsed.inSeconds, 1e-9)
        let elements = Double(announcement.elementCount)
        var lines = [
            "job \(announcement.jobID): \(kernel) over [\(announcement.first), \(announcement.last)], "
                + "\(announcement.taskCount) tasks of \(announcement.chunk)",
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
                    + "busy \(format(Double(worker.busyNanoseconds) / 1e9)) s")
        }
        if let failure { lines.append("error: \(failure)") }
        return lines.joined(separator: "\n")
    }

}
