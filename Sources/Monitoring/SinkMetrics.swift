import Pipeline
public import PipelineCore
public import Prometheus
import Reporting
import Wire

/// The sink's figures as Prometheus metrics, named `scattergather_sink_*`.
public struct SinkMetrics {
    private var tasksCompleted: MonotonicCounter
    private var duplicates: MonotonicCounter
    private var malformedFrames: MonotonicCounter
    private var foreignResults: MonotonicCounter
    private var revokedFrames: MonotonicCounter
    private var suspectWorkers: MonotonicCounter
    private var claimedFrames: MonotonicCounter
    private var crossChecksAgreed: MonotonicCounter
    private var crossCheckDisagreements: MonotonicCounter
    private var workersQuarantined: MonotonicCounter
    private var quarantinedResults: MonotonicCounter
    private var jobsEnded: [JobReport.Outcome: MonotonicCounter] = [:]
    private let jobsActive: Gauge
    private let jobTasks: Gauge
    private let jobTasksCompleted: Gauge
    private let jobProgress: Gauge
    private let reissued: Gauge
    private let workersConnected: Gauge

    public init(registry: PrometheusCollectorRegistry) {
        tasksCompleted = MonotonicCounter(
            registry, subsystem: "sink", name: "tasks_completed", help: "Distinct tasks aggregated, over every job.")
        duplicates = MonotonicCounter(
            registry, subsystem: "sink", name: "duplicates", help: "Results for tasks already aggregated, not counted again.")
        malformedFrames = MonotonicCounter(
            registry, subsystem: "sink", name: "malformed_frames",
            help: "Frames that were not valid protocol messages, and results that contradicted their job; dropped.")
        foreignResults = MonotonicCounter(
            registry, subsystem: "sink", name: "foreign_results", help: "Results for jobs this sink was not told about; dropped.")
        revokedFrames = MonotonicCounter(
            registry, subsystem: "sink", name: "revoked_frames",
            help: "Frames from keys taken off the allow list (SIGHUP) while connected; dropped.")
        suspectWorkers = MonotonicCounter(
            registry, subsystem: "sink", name: "suspect_workers",
            help: "Workers a ventilator stopped feeding because their tasks never reached this sink (once per job).")
        claimedFrames = MonotonicCounter(
            registry, subsystem: "sink", name: "claimed_id_frames",
            help: "Frames whose worker id another key already uses; refused.")
        crossChecksAgreed = MonotonicCounter(
            registry, subsystem: "sink", name: "cross_checks_agreed",
            help: "Tasks counted after two workers computed them and agreed (--verify-fraction).")
        crossCheckDisagreements = MonotonicCounter(
            registry, subsystem: "sink", name: "cross_check_disagreements", help: "Tasks on which two workers disagreed.")
        workersQuarantined = MonotonicCounter(
            registry, subsystem: "sink", name: "quarantined_workers",
            help: "Workers quarantined for a job: the majority disagreed with their result (once per job).")
        quarantinedResults = MonotonicCounter(
            registry, subsystem: "sink", name: "quarantined_results", help: "Results from quarantined workers; not counted.")
        for outcome in [JobReport.Outcome.verified, .mismatch, .unverifiable, .crossChecked, .failed] {
            jobsEnded[outcome] = MonotonicCounter(
                registry, subsystem: "sink", name: "jobs_ended", labels: [("outcome", outcome.name)],
                help: "Jobs ended, by outcome.")
        }
        jobsActive = registry.gauge(subsystem: "sink", name: "jobs_active", help: "Jobs in progress.")
        jobTasks = registry.gauge(subsystem: "sink", name: "job_tasks", help: "Tasks of the jobs in progress.")
        jobTasksCompleted = registry.gauge(
            subsystem: "sink", name: "job_tasks_completed", help: "Tasks of the jobs in progress aggregated so far.")
        jobProgress = registry.gauge(
            subsystem: "sink", name: "job_progress", unit: "ratio",
            help: "Completed fraction of the jobs in progress, 0 to 1 (0 when none).")
        reissued = registry.gauge(
            subsystem: "sink", name: "job_tasks_reissued",
            help: "Tasks of the jobs in progress the ventilators sent more than once.")
        workersConnected = registry.gauge(
            subsystem: "sink", name: "workers_connected",
            help: "Workers connected to the ventilators of the jobs in progress, as they last said.")
    }

    /// Brings every metric up to `status`.
    public mutating func update(_ status: SinkStatus) {
        tasksCompleted.update(to: status.tasksCompleted)
        duplicates.update(to: status.duplicates)
        malformedFrames.update(to: status.malformedFrames)
        foreignResults.update(to: status.foreignResults)
        revokedFrames.update(to: status.revokedFrames)
        claimedFrames.update(to: status.claimedFrames)
        suspectWorkers.update(to: status.suspectWorkers)
        crossChecksAgreed.update(to: status.crossChecksAgreed)
        crossCheckDisagreements.update(to: status.crossCheckDisagreements)
        workersQuarantined.update(to: status.workersQuarantined)
        quarantinedResults.update(to: status.quarantinedResults)
        for (outcome, count) in status.jobsEnded { jobsEnded[outcome]?.update(to: count) }
        let tasks = status.jobs.reduce(0) { $0 + $1.announcement.taskCount }
        let completed = status.jobs.reduce(0) { $0 + $1.completed }
        jobsActive.set(Int64(status.jobs.count))
        jobTasks.set(Double(tasks))
        jobTasksCompleted.set(Double(completed))
        jobProgress.set(tasks > 0 ? Double(completed) / Double(tasks) : 0)
        reissued.set(Double(status.jobs.reduce(0) { $0 + $1.reissued }))
        workersConnected.set(Int64(status.jobs.compactMap(\.workersConnected).max() ?? 0))
    }
}
