import Pipeline
public import PipelineCore
public import Prometheus

/// The ventilator's figures as Prometheus metrics, named `scattergather_ventilator_*`.
public struct VentilatorMetrics {
    private var dispatched: MonotonicCounter
    private var completed: MonotonicCounter
    private var reissued: MonotonicCounter
    private var malformedFrames: MonotonicCounter
    private let workersConnected: Gauge
    private let workersSuspended: Gauge
    private let jobTasks: Gauge
    private let jobProgress: Gauge

    public init(registry: PrometheusCollectorRegistry) {
        dispatched = MonotonicCounter(
            registry, subsystem: "ventilator", name: "tasks_dispatched", help: "Distinct tasks sent to workers.")
        completed = MonotonicCounter(
            registry, subsystem: "ventilator", name: "tasks_completed", help: "Distinct tasks the sink acknowledged.")
        reissued = MonotonicCounter(
            registry, subsystem: "ventilator", name: "tasks_reissued",
            help: "Sends of a task beyond its first (late, lost, or held by a worker that left).")
        malformedFrames = MonotonicCounter(
            registry, subsystem: "ventilator", name: "malformed_frames",
            help: "Frames from workers or the sink that were not valid protocol messages; dropped.")
        workersConnected = registry.gauge(
            subsystem: "ventilator", name: "workers_connected", help: "Workers heard from in the last 10 seconds.")
        workersSuspended = registry.gauge(
            subsystem: "ventilator", name: "workers_suspended",
            help: "Workers not fed now because their tasks never reached the sink (each tried again after a backoff).")
        jobTasks = registry.gauge(subsystem: "ventilator", name: "job_tasks", help: "Tasks of the job.")
        jobProgress = registry.gauge(
            subsystem: "ventilator", name: "job_progress", unit: "ratio",
            help: "Fraction of the job's tasks the sink acknowledged, 0 to 1.")
    }

    /// Brings every metric up to `status`.
    public mutating func update(_ status: VentilatorStatus) {
        dispatched.update(to: status.dispatched)
        completed.update(to: status.completed)
        reissued.update(to: status.reissued)
        malformedFrames.update(to: status.malformedFrames)
        workersConnected.set(Int64(status.workersConnected))
        workersSuspended.set(Int64(status.workersSuspended))
        jobTasks.set(Double(status.job.taskCount))
        jobProgress.set(status.job.taskCount > 0 ? Double(status.completed) / Double(status.job.taskCount) : 0)
    }
}
