import Wire

/// How many dispatched tasks may await acknowledgement at once, and how many go in one frame.
///
/// A fixed limit when the user sets one; otherwise the observed completion rate times `horizon` plus the
/// shortest task latency seen (so a slow link, where latency bounds the rate, lets the window grow), never below `floor`.
/// The shortest, not the typical: a task's latency includes its wait in the window's own queues, and a window sized
/// by that would grow without end. Bounding in-flight work keeps every queue (and so every role's memory) bounded;
/// what a worker may hold at once is bounded separately, by its credit and its share (``WorkerPool``).
///
/// Batches hold about `batchHorizon` of one worker's work (a single task when one takes longer), and never more than
/// an eighth of the window. Each batch costs four messages (credit, batch, results, acknowledgement), each waking a
/// thread or two in each of two processes: about 0.1 to 0.2 ms of CPU over all roles on this kind of machine, which
/// at 16 ms of work a batch is about 1 % of the workers' cores (at 1 ms, with tasks of 2 ms one per frame, it was 8 %).
/// However many workers share the machine, batches are big enough that the pool needs at most `frameRate` of them a
/// second: with hundreds of workers on a few cores each one's share of the work is small, and one-task frames would
/// make the cost of a frame, not the work, the limit.
package struct InFlightWindow {
    package static let floor: UInt64 = 16
    /// 2^18: with 300 worker processes on 2 cores, 2^17 (64 full batches) kept each worker to a batch or two per wake,
    /// and the pool spent its time waking cold processes (300 workers against 10: 0.69-0.70 of the tasks/s; 0.77-0.88
    /// at 2^18, interleaved).
    package static let ceiling: UInt64 = 1 << 18
    package static let horizon: Duration = .milliseconds(160)
    package static let batchHorizon: Duration = .milliseconds(16)
    package static let frameRate: Double = 2_500
    /// Near a job's end, batches shrink to no fewer tasks than the whole pool delivers in this long.
    package static let tailGrain: Duration = .milliseconds(2)

    private let fixed: UInt64?
    package private(set) var limit: UInt64
    package private(set) var batchSize: UInt64 = 1
    private var sampleStart: ContinuousClock.Instant
    private var sampleCompleted: UInt64 = 0
    private var workers = 1
    /// The smallest batch near a job's end: what the pool delivers in ``tailGrain``.
    private var tailFloor: UInt64 = 1

    /// - Parameter completed: tasks already completed, so a resumed job's head start is not taken for a rate.
    package init(fixed: UInt64?, now: ContinuousClock.Instant, completed: UInt64 = 0) {
        self.fixed = fixed
        limit = fixed ?? Self.floor
        sampleStart = now
        sampleCompleted = completed
    }

    /// Records the sink's cumulative completed count and adapts the limit about every 50 ms.
    ///
    /// - Parameter latency: the shortest time from dispatch to acknowledgement seen, once measured.
    package mutating func observe(completed: UInt64, now: ContinuousClock.Instant, workers: Int = 1, latency: Duration? = nil) {
        let elapsed = now - sampleStart
        guard elapsed >= .milliseconds(50) else { return }
        let rate = Double(completed &- sampleCompleted) / elapsed.inSeconds
        if fixed == nil {
            let target = UInt64(min(Double(Self.ceiling), rate * (Self.horizon + (latency ?? .zero)).inSeconds))
            limit = min(Self.ceiling, max(Self.floor, target, limit / 2))
        }
        let perWorker = rate / Double(max(1, workers))
        let batch = UInt64(min(Double(TaskBatch.maxTasks), max(perWorker * Self.batchHorizon.inSeconds, rate / Self.frameRate)))
        batchSize = max(1, min(batch, limit / 8))
        self.workers = max(1, workers)
        tailFloor = UInt64(min(Double(TaskBatch.maxTasks), max(1, rate * Self.tailGrain.inSeconds)))
        sampleStart = now
        sampleCompleted = completed
    }

    /// The size of the next batch when `remaining` tasks were never sent: ``batchSize``, but near the job's end at
    /// most a `2 · workers`-th of what remains (and not under ``tailGrain`` of the pool's work), so that the last
    /// batches shrink and the workers finish together instead of one computing a whole batch while the others idle.
    package func batchSize(remaining: UInt64) -> UInt64 {
        min(batchSize, max(tailFloor, remaining / UInt64(2 * workers)))
    }
}
