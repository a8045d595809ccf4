/// What one worker contributed to a job, as the sink saw it.
public struct WorkerStatistics: Hashable, Sendable {
    public let workerID: UInt64
    /// Results of this worker the sink aggregated (duplicates excluded).
    public internal(set) var tasks: UInt64 = 0
    public internal(set) var elements: UInt128 = 0
    /// Time the worker spent computing those tasks, by its own clock.
    public internal(set) var busyNanoseconds: UInt64 = 0

    public init(workerID: UInt64) {
        self.workerID = workerID
    }
}
