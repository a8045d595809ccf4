package import Wire

/// The ventilator's record of which tasks the sink has acknowledged, which are out with which worker
/// since when, and which must be sent again.
///
/// Delivery is at-least-once: a task not acknowledged by its deadline, or held by a worker that vanished,
/// is re-issued; the sink adds each task id once, so the total stays exact.
package struct RedeliveryTracker {
    package struct Outstanding {
        package let tasks: Range<UInt64>
        package let sentAt: ContinuousClock.Instant
        package let worker: [UInt8]
        /// Already re-issued once as a straggler at the end of the job.
        package var reissued = false
        /// Re-issued because its worker was lost: nothing more to watch.
        package var dropped = false
    }

    private var acknowledged: TaskBitset
    private let taskCount: UInt64
    /// Distinct tasks the sink has acknowledged.
    package private(set) var acknowledgedCount: UInt64 = 0
    /// The next task id never sent: every id below it was sent, or found acknowledged before its turn.
    package private(set) var cursor: UInt64 = 0
    /// Ids found acknowledged before their turn (done for an earlier ventilator of the same job), never sent.
    package private(set) var skipped: UInt64 = 0
    /// Acknowledged ids at or past the cursor.
    private var acknowledgedAhead: UInt64 = 0
    /// Task ids waiting to be sent again.
    private var retry: [Range<UInt64>] = []
    /// Batches sent and not yet fully acknowledged, oldest first (from `head` on).
    private var outstanding: [Outstanding] = []
    private var head = 0
    /// Tasks sent more than once.
    package private(set) var reissued: UInt64 = 0

    package init(taskCount: UInt64) {
        self.taskCount = taskCount
        acknowledged = TaskBitset(count: taskCount)
    }

    package mutating func sent(_ ids: [UInt64], to worker: [UInt8], at now: ContinuousClock.Instant) {
        for run in runs(of: ids) {
            outstanding.append(Outstanding(tasks: run, sentAt: now, worker: worker))
        }
    }

    /// Tasks sent and not yet acknowledged.
    package var inFlight: UInt64 { cursor - (acknowledgedCount - acknowledgedAhead) }

    /// Whether every task has been sent (or found done).
    package var allSent: Bool { cursor == taskCount }

    /// Marks acknowledged tasks; ids outside the job are ignored.
    package mutating func acknowledge(_ run: Acknowledgement.Run) {
        let end = min(taskCount, run.first &+ UInt64(run.length))
        guard run.first < end else { return }
        for id in run.first..<end where acknowledged.insert(id) {
            acknowledgedCount += 1
            if id >= cursor { acknowledgedAhead += 1 }
        }
    }

    /// Takes up to `limit` task ids never sent, in order, skipping those already acknowledged.
    package mutating func takeFresh(limit: Int) -> [UInt64] {
        var ids: [UInt64] = []
        while ids.count < limit && cursor < taskCount {
            if acknowledged.contains(cursor) {
                acknowledgedAhead -= 1
                skipped += 1
            } else {
                ids.append(cursor)
            }
            cursor += 1
        }
        return ids
    }

    /// Takes up to `limit` task ids to send again, skipping any acknowledged meanwhile.
    package mutating func takeRetries(limit: Int) -> [UInt64] {
        var ids: [UInt64] = []
        while ids.count < limit, let range = retry.popLast() {
            var id = range.lowerBound
            while id < range.upperBound && ids.count < limit {
                if !acknowledged.contains(id) { ids.append(id) }
                id += 1
            }
            if id < range.upperBound { retry.append(id..<range.upperBound) }
        }
        return ids
    }

    /// Puts back ids that could not be sent after all.
    package mutating func returnUnsent(_ ids: [UInt64]) {
        retry.append(contentsOf: runs(of: ids))
    }

    /// Queues for re-issue every unacknowledged task sent before `now - deadline`. At the end of a job
    /// (`tail`), tasks older than `tailDeadline` are re-issued once as stragglers, so an idle worker can
    /// race the slow one; the first result wins at the sink.
    package mutating func expire(now: ContinuousClock.Instant, deadline: Duration, tail: Bool, tailDeadline: Duration) {
        while head < outstanding.count {
            let oldest = outstanding[head]
            if oldest.dropped || allAcknowledged(oldest.tasks) {
                head += 1
                continue
            }
            guard now - oldest.sentAt >= deadline else { break }
            requeue(oldest.tasks)
            head += 1
        }
        if tail {
            for index in head..<outstanding.count where !outstanding[index].reissued && !outstanding[index].dropped {
                guard now - outstanding[index].sentAt >= tailDeadline else { break }
                outstanding[index].reissued = true
                requeue(outstanding[index].tasks)
            }
        }
        if head > 1024 && head * 2 > outstanding.count {
            outstanding.removeFirst(head)
            head = 0
        }
    }

    /// Queues for re-issue everything a worker held: it disconnected, or said it holds nothing.
    /// Returns how many tasks that was.
    @discardableResult
    package mutating func workerLost(_ worker: [UInt8]) -> UInt64 {
        let before = reissued
        for index in head..<outstanding.count where outstanding[index].worker == worker && !outstanding[index].dropped {
            requeue(outstanding[index].tasks)
            outstanding[index].dropped = true
        }
        return reissued - before
    }

    private mutating func requeue(_ tasks: Range<UInt64>) {
        let pending = tasks.filter { !acknowledged.contains($0) }
        reissued += UInt64(pending.count)
        retry.append(contentsOf: runs(of: pending))
    }

    private func allAcknowledged(_ tasks: Range<UInt64>) -> Bool {
        tasks.allSatisfy { acknowledged.contains($0) }
    }

    private func runs(of ids: [UInt64]) -> [Range<UInt64>] {
        ids.consecutiveRuns()
    }
}

extension [UInt64] {
    /// The ids as ranges of consecutive ids, in order.
    package func consecutiveRuns() -> [Range<UInt64>] {
        var result: [Range<UInt64>] = []
        for id in self {
            if let last = result.last, last.upperBound == id {
                result[result.count - 1] = last.lowerBound..<(id + 1)
            } else {
                result.append(id..<(id + 1))
            }
        }
        return result
    }
}
