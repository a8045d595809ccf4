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
        /// Delivered, or re-issued as lost: nothing more to watch.
        package var settled = false
    }

    /// What became of a batch sent to a worker, as a sweep or a lost worker found it: the ventilator's evidence of
    /// which workers deliver.
    package enum Settlement: Equatable {
        /// Every task of the batch was acknowledged (by this worker's result, or a re-issued copy's).
        case delivered(worker: [UInt8], tasks: UInt64, sentAt: ContinuousClock.Instant)
        /// Every task of the batch was acknowledged, but they had also been re-issued as stragglers: the result may
        /// have been another worker's, so this proves nothing of this worker.
        case raced(worker: [UInt8], tasks: UInt64, sentAt: ContinuousClock.Instant)
        /// The batch was re-issued: `tasks` of it were still unacknowledged.
        case lost(worker: [UInt8], tasks: UInt64, sentAt: ContinuousClock.Instant, cause: Loss)
    }

    /// Why a batch was given up on.
    package enum Loss: Equatable {
        /// Its deadline passed: the worker holds it without answering, or its results go elsewhere.
        case expired
        /// The worker said it holds nothing (an idle reset), yet the sink never acknowledged the batch.
        case reset
        /// The worker left, disconnected or was revoked: nothing to hold against it.
        case gone
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
    /// Tasks of unsettled batches, by worker.
    private var held: [[UInt8]: UInt64] = [:]
    /// Settled batches not yet taken.
    private var settlements: [Settlement] = []

    package init(taskCount: UInt64) {
        self.taskCount = taskCount
        acknowledged = TaskBitset(count: taskCount)
    }

    /// Notes `ids` sent to `worker` in one batch; returns them as runs of consecutive ids.
    @discardableResult
    package mutating func sent(_ ids: [UInt64], to worker: [UInt8], at now: ContinuousClock.Instant) -> [Range<UInt64>] {
        let runs = runs(of: ids)
        for run in runs {
            outstanding.append(Outstanding(tasks: run, sentAt: now, worker: worker))
        }
        held[worker, default: 0] += UInt64(ids.count)
        return runs
    }

    /// Tasks sent to `worker` whose batch is not yet settled (acknowledged tasks count until the next sweep).
    package func held(by worker: [UInt8]) -> UInt64 {
        held[worker] ?? 0
    }

    /// The batches settled since the last call, in the order they were found.
    package mutating func takeSettlements() -> [Settlement] {
        defer { settlements.removeAll(keepingCapacity: true) }
        return settlements
    }

    /// Tasks sent and not yet acknowledged.
    package var inFlight: UInt64 { cursor - (acknowledgedCount - acknowledgedAhead) }

    /// Whether every task has been sent (or found done).
    package var allSent: Bool { cursor == taskCount }

    /// Marks acknowledged tasks; ids outside the job are ignored.
    package mutating func acknowledge(_ run: Acknowledgement.Run) {
        let end = min(taskCount, run.first &+ UInt64(run.length))
        guard run.first < end else { return }
        let split = min(max(run.first, cursor), end)
        acknowledgedCount += acknowledged.insert(run.first..<split)
        let ahead = acknowledged.insert(split..<end)
        acknowledgedCount += ahead
        acknowledgedAhead += ahead
    }

    /// Takes up to `limit` task ids never sent, in order, skipping those already acknowledged.
    package mutating func takeFresh(limit: Int) -> [UInt64] {
        if acknowledgedAhead == 0 {  // nothing ahead to skip: the next ids, in one go
            let end = cursor + min(UInt64(max(0, limit)), taskCount - cursor)
            defer { cursor = end }
            return Array(cursor..<end)
        }
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

    /// Settles every batch the sink has acknowledged whole, and queues for re-issue every unacknowledged task sent
    /// before `now - deadline`. At the end of a job (`tail`), tasks older than `tailDeadline` are re-issued once as
    /// stragglers, so an idle worker can race the slow one; the first result wins at the sink.
    package mutating func expire(now: ContinuousClock.Instant, deadline: Duration, tail: Bool, tailDeadline: Duration) {
        var index = head
        var settledSoFar = true
        while index < outstanding.count {
            defer { index += 1 }
            if outstanding[index].settled {
                if settledSoFar { head = index + 1 }
                continue
            }
            let batch = outstanding[index]
            if allAcknowledged(batch.tasks) {
                let (worker, tasks, sentAt) = (batch.worker, UInt64(batch.tasks.count), batch.sentAt)
                settle(
                    at: index,
                    as: batch.reissued
                        ? .raced(worker: worker, tasks: tasks, sentAt: sentAt)
                        : .delivered(worker: worker, tasks: tasks, sentAt: sentAt))
            } else if now - batch.sentAt >= deadline {
                let pending = requeue(batch.tasks)
                settle(at: index, as: .lost(worker: batch.worker, tasks: pending, sentAt: batch.sentAt, cause: .expired))
            } else {
                if tail && !batch.reissued && now - batch.sentAt >= tailDeadline {
                    outstanding[index].reissued = true
                    requeue(batch.tasks)
                }
                settledSoFar = false
                continue
            }
            if settledSoFar { head = index + 1 }
        }
        if head > 1024 && head * 2 > outstanding.count {
            outstanding.removeFirst(head)
            head = 0
        }
    }

    /// Queues for re-issue what a worker held: everything when it left (`cause` ``Loss/gone``), or, for an idle
    /// reset, what it was sent before `sentBefore` (a batch sent since may still be on its way to it).
    /// Returns how many tasks that was.
    @discardableResult
    package mutating func workerLost(
        _ worker: [UInt8], sentBefore: ContinuousClock.Instant? = nil, cause: Loss = .gone
    ) -> UInt64 {
        guard held[worker] != nil else { return 0 }
        let before = reissued
        for index in head..<outstanding.count where outstanding[index].worker == worker && !outstanding[index].settled {
            let batch = outstanding[index]
            if let sentBefore, batch.sentAt >= sentBefore { continue }
            let pending = requeue(batch.tasks)
            settle(at: index, as: .lost(worker: worker, tasks: pending, sentAt: batch.sentAt, cause: cause))
        }
        return reissued - before
    }

    private mutating func settle(at index: Int, as settlement: Settlement) {
        outstanding[index].settled = true
        let worker = outstanding[index].worker
        let remaining = (held[worker] ?? 0) - UInt64(outstanding[index].tasks.count)
        held[worker] = remaining == 0 ? nil : remaining
        settlements.append(settlement)
    }

    @discardableResult
    private mutating func requeue(_ tasks: Range<UInt64>) -> UInt64 {
        let pending = tasks.filter { !acknowledged.contains($0) }
        reissued += UInt64(pending.count)
        retry.append(contentsOf: runs(of: pending))
        return UInt64(pending.count)
    }

    private func allAcknowledged(_ tasks: Range<UInt64>) -> Bool {
        acknowledged.containsAll(tasks)
    }

    private func runs(of ids: [UInt64]) -> [Range<UInt64>] {
        ids.consecutiveRuns()
    }
}

extension [UInt64] {
    /// The ids as ranges of consecutive ids, in order.
    package func consecutiveRuns() -> [Range<UInt64>] {
        guard var start = first else { return [] }
        var result: [Range<UInt64>] = []
        var end = start
        for id in self {
            if id == end {
                end += 1
            } else {
                result.append(start..<end)
                (start, end) = (id, id + 1)
            }
        }
        result.append(start..<end)
        return result
    }
}
