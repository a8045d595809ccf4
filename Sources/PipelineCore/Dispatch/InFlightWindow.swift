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
/// an eighth of the window (so with two workers, about 40 ms of one's work). Each batch costs four messages (credit,
/// batch, results, acknowledgement), each waking a thread or two in each of two processes, at about 30 µs of CPU a
/// wake on a 2-core virtual machine: about 0.3 ms a batch over all roles. With 2 ms tasks on 2 workers, batches of
/// 16 ms left the sink and the ventilator 1.5-2.5 % of the cores, taken from the workers (0.960 of the machine's
/// ceiling, 20 interleaved rounds); of 32 ms, 0.966; of 64 ms (40 with two workers), 0.968, and about half the wakes.
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
    package static let batchHorizon: Duration = .milliseconds(64)
    package static let frameRate: Double = 2_500
    /// Near a job's end, batches shrink to no fewer tasks than the whole pool delivers in this long.
    package static let tailGrain: Duration = .milliseconds(2)
    /// How often the completion rate is measured again.
    package static let samplePeriod: Duration = .milliseconds(50)
    /// When the rate is first measured: tasks of 2 ms had gone out one to a frame for the first 50 ms, 40 of the 140
    /// frames of a 1 s job.
    package static let firstSample: Duration = .milliseconds(10)

    private let fixed: UInt64?
    package private(set) var limit: UInt64
    package private(set) var batchSize: UInt64 = 1
    private var sampleStart: ContinuousClock.Instant
    private var sampleCompleted: UInt64 = 0
    private var workers = 1
    /// The smallest batch near a job's end: what the pool delivers in ``tailGrain``.
    private var tailFloor: UInt64 = 1
    /// Whether the rate was measured yet.
    private var sampled = false

    /// - Parameter completed: tasks already completed, so a resumed job's head start is not taken for a rate.
    package init(fixed: UInt64?, now: ContinuousClock.Instant, completed: UInt64 = 0) {
        self.fixed = fixed
        limit = fixed ?? Self.floor
        sampleStart = now
        sampleCompleted = completed
    }

    /// Records the sink's cumulative completed count and adapts the limit about every ``samplePeriod``; the first
    /// time after ``firstSample``, since until then every batch holds a single task.
    ///
    /// - Parameter latency: the shortest time from dispatch to acknowledgement seen, once measured.
    package mutating func observe(completed: UInt64, now: ContinuousClock.Instant, workers: Int = 1, latency: Duration? = nil) {
        let elapsed = now - sampleStart
        guard elapsed >= (sampled ? Self.samplePeriod : Self.firstSample) else { return }
        // The first rate is one measured, not the wait for the first acknowledgement.
        guard sampled || completed != sampleCompleted else { return }
        sampled = true
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
