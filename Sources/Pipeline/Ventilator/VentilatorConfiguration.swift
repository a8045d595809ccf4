import PipelineCore
public import Wire

/// What a ``Ventilator`` dispatches, where, and how long it waits.
public struct VentilatorConfiguration: Sendable {
    /// The job to run.
    public var job: JobAnnouncement
    /// Bound ROUTER socket for tasks; workers connect here and ask for work.
    public var tasksEndpoint = DefaultEndpoints.tasks
    /// The sink's result endpoint, where the job is announced.
    public var resultsEndpoint = DefaultEndpoints.results
    /// The sink's control endpoint, for acknowledgements and the final report.
    public var controlEndpoint = DefaultEndpoints.control
    /// Most tasks awaiting acknowledgement at once; `nil` adapts it to the completion rate.
    public var window: UInt64?
    /// CURVE keys, the workers' allow list and the sink's public key; `nil` runs in plaintext.
    public var security: CurveSecurity?
    /// Dispatch nothing until this many workers that offer the job's kernel have asked for work (workers that come
    /// later still get their share); the job fails if they have not after ``timeout``. At most 1 waits for nobody.
    public var waitForWorkers = 1
    /// Fail when the job makes no progress for this long.
    public var timeout: Duration = .seconds(30)
    /// A task unacknowledged for four times the typical latency is sent again, but never sooner than this…
    public var redeliverAfterMinimum: Duration = .seconds(1)
    /// …and never later than this.
    public var redeliverAfterMaximum: Duration = .seconds(60)

    public init(job: JobAnnouncement) {
        self.job = job
    }
}
