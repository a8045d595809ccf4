public import Wire

/// A moment's view of a ventilator's job, for progress displays and metrics.
public struct VentilatorStatus: Sendable {
    public var job: JobAnnouncement
    /// Distinct tasks sent (each task id once).
    public var dispatched: UInt64
    /// Distinct tasks the sink has acknowledged.
    public var completed: UInt64
    /// Sends beyond the first of a task.
    public var reissued: UInt64
    /// Workers heard from in the last 10 seconds.
    public var workersConnected: Int
    /// Frames from workers or the sink that were not valid protocol messages.
    public var malformedFrames: UInt64
    /// Workers not fed now because their tasks never reached the sink (suspended, or on probation).
    public var workersSuspended: Int = 0

    public init(
        job: JobAnnouncement, dispatched: UInt64, completed: UInt64, reissued: UInt64, workersConnected: Int,
        malformedFrames: UInt64
    ) {
        self.job = job
        self.dispatched = dispatched
        self.completed = completed
        self.reissued = reissued
        self.workersConnected = workersConnected
        self.malformedFrames = malformedFrames
    }
}
