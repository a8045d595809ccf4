import Testing
import Wire

@testable import PipelineCore

/// Who gets the next batch, driven with plain credits.
@Suite struct WorkerPoolTests {
    func credit(_ batches: UInt16, worker: UInt64, reset: Bool = false, kernels: [String] = ["sum"]) throws -> Credit {
        try Credit(batches: batches, isReset: reset, workerID: worker, kernels: kernels.map(KernelName.init))
    }

    func pool() throws -> WorkerPool { WorkerPool(kernel: try KernelName("sum")) }

    @Test func eachWorkerInTurnGetsEveryBatchItAskedFor() throws {
        var pool = try pool()
        #expect(pool.apply(try credit(2, worker: 1), from: [1]) == .joined)
        #expect(pool.apply(try credit(2, worker: 2), from: [2]) == .joined)
        #expect(pool.apply(try credit(1, worker: 1), from: [1]) == .known)
        var order: [UInt64] = []
        while let index = pool.nextWithCredit() {
            order.append(pool.members[index].workerID)
            pool.sent(at: index)
        }
        #expect(order == [1, 1, 1, 2, 2])
    }

    /// A worker that keeps asking during its turn keeps it for at most ``WorkerPool/maxCredit`` batches.
    @Test func aWorkerThatKeepsAskingKeepsTheTurnForABoundedRun() throws {
        var pool = try pool()
        _ = pool.apply(try credit(2, worker: 1), from: [1])
        _ = pool.apply(try credit(2, worker: 2), from: [2])
        var order: [UInt64] = []
        while order.count < WorkerPool.maxCredit + 4, let index = pool.nextWithCredit() {
            order.append(pool.members[index].workerID)
            pool.sent(at: index)
            if order.last == 1 { _ = pool.apply(try credit(1, worker: 1), from: [1]) }
        }
        #expect(order == Array(repeating: 1, count: WorkerPool.maxCredit) + [2, 2, 1, 1])
    }

    /// A worker whose share is full ends its turn early.
    @Test func aFullShareEndsTheTurn() throws {
        var pool = try pool()
        _ = pool.apply(try credit(8, worker: 1), from: [1])
        _ = pool.apply(try credit(8, worker: 2), from: [2])
        var held: [UInt64: UInt64] = [:]
        var order: [UInt64] = []
        while order.count < 12, let index = pool.nextWithCredit(held: { held[UInt64($0[0]), default: 0] }) {
            order.append(pool.members[index].workerID)
            held[pool.members[index].workerID, default: 0] += 1
            pool.sent(at: index)
        }
        #expect(order == [1, 1, 1, 1, 2, 2, 2, 2])
    }

    /// New turns go to the workers acknowledged lately first, in turn, and only then to the others: of many workers on a
    /// few cores, those that run keep the work; once none has been acknowledged for a while, all take turns again.
    @Test func activeWorkersAreServedFirstInTurn() throws {
        var pool = try pool()
        let start = ContinuousClock.now
        for worker in 1...4 { _ = pool.apply(try credit(8, worker: UInt64(worker)), from: [UInt8(worker)], now: start) }
        _ = pool.apply([.delivered(worker: [3], tasks: 1, sentAt: start)], now: start)
        _ = pool.apply([.delivered(worker: [2], tasks: 1, sentAt: start)], now: start)
        var held: [UInt64: UInt64] = [:]
        var order: [UInt64] = []
        while let index = pool.nextWithCredit(now: start, held: { held[UInt64($0[0]), default: 0] }) {
            order.append(pool.members[index].workerID)
            held[pool.members[index].workerID, default: 0] += 1
            pool.sent(at: index)
        }
        let floor = Int(WorkerPool.shareFloor)
        #expect(order == [2, 3, 4, 1].flatMap { Array(repeating: UInt64($0), count: floor) })
        // Two active workers both take turns, whichever was acknowledged last.
        pool.endTurn()
        held = [:]
        order = []
        let later = start + .milliseconds(10)
        _ = pool.apply([.delivered(worker: [2], tasks: 1, sentAt: start)], now: later)
        _ = pool.apply([.delivered(worker: [3], tasks: 1, sentAt: start)], now: later)
        while order.count < 4, let index = pool.nextWithCredit(now: later, held: { held[UInt64($0[0]), default: 0] }) {
            order.append(pool.members[index].workerID)
            held[pool.members[index].workerID, default: 0] += 2
            pool.sent(at: index)
        }
        #expect(order == [2, 2, 3, 3])
        // Long after the last acknowledgement nobody is active: the next turn goes to the next worker.
        pool.endTurn()
        let next = pool.nextWithCredit(now: start + WorkerPool.activeWithin * 2)
        #expect(next.map { pool.members[$0].workerID } == 4)
    }

    /// A new turn goes to the first active worker in connection order that may take a batch, not round them: of many
    /// workers on a few cores the fewest that keep up keep the work.
    @Test func theFirstActiveWorkerThatMayTakeABatchGetsTheNextTurn() throws {
        var pool = try pool()
        let start = ContinuousClock.now
        func next() -> UInt64? {
            guard let index = pool.nextWithCredit(now: start) else { return nil }
            pool.sent(at: index)
            return pool.members[index].workerID
        }
        for worker: UInt8 in 1...3 {
            _ = pool.apply(try credit(1, worker: UInt64(worker)), from: [worker], now: start)
            _ = pool.apply([.delivered(worker: [worker], tasks: 1, sentAt: start)], now: start)
        }
        let first = [next(), next()]
        // Worker 1 asks again: it gets the next turn, before worker 3, which has waited longer.
        _ = pool.apply(try credit(1, worker: 1), from: [1], now: start)
        #expect(first + [next()] == [1, 2, 1])
    }

    /// A worker passed over (its turn ended with nothing it may take) is not served first as active until its next
    /// batch is acknowledged, so what only another worker may take reaches one.
    @Test func aWorkerPassedOverWaitsForItsNextAcknowledgement() throws {
        var pool = try pool()
        let start = ContinuousClock.now
        for worker in 1...3 { _ = pool.apply(try credit(8, worker: UInt64(worker)), from: [UInt8(worker)], now: start) }
        _ = pool.apply([.delivered(worker: [2], tasks: 1, sentAt: start)], now: start)
        var order: [UInt64] = []
        for _ in 0..<3 {
            let found = pool.nextWithCredit(now: start)
            let index = try #require(found)
            order.append(pool.members[index].workerID)
            pool.endTurn()
        }
        #expect(order == [2, 3, 1])
        _ = pool.apply([.delivered(worker: [2], tasks: 1, sentAt: start)], now: start)
        let next = pool.nextWithCredit(now: start)
        #expect(next.map { pool.members[$0].workerID } == 2)
    }

    @Test func creditIsCappedAndAResetReplacesIt() throws {
        var pool = try pool()
        _ = pool.apply(try credit(1000, worker: 1), from: [1])
        #expect(pool.members[0].credit == WorkerPool.maxCredit)
        _ = pool.apply(try credit(3, worker: 1, reset: true), from: [1])
        #expect(pool.members[0].credit == 3)
    }

    @Test func aRemovedWorkerGetsNothingMore() throws {
        var pool = try pool()
        _ = pool.apply(try credit(5, worker: 1), from: [1])
        _ = pool.apply(try credit(5, worker: 2), from: [2])
        #expect(pool.remove(at: 0).workerID == 1)
        #expect(pool.count == 1)
        let found = pool.nextWithCredit()
        let next = try #require(found)
        #expect(pool.members[next].workerID == 2)
    }

    @Test func onlyWorkersHeardFromRecentlyCountAsActive() throws {
        var pool = try pool()
        let start = ContinuousClock.now
        _ = pool.apply(try credit(1, worker: 1), from: [1], now: start)
        _ = pool.apply(try credit(1, worker: 2), from: [2], now: start + Duration.seconds(20))
        #expect(pool.active(within: .seconds(10), now: start + .seconds(21)) == 1)
    }

    @Test func aWorkerWithoutTheJobsKernelIsKnownButNeverChosen() throws {
        var pool = try pool()
        let start = ContinuousClock.now
        _ = pool.apply(try credit(5, worker: 1, kernels: ["primes", "mc-pi"]), from: [1], now: start)
        #expect(pool.nextWithCredit() == nil)
        #expect(pool.active(within: .seconds(10), now: start) == 1)
        #expect(pool.able(within: .seconds(10), now: start) == 0)
        #expect(pool.kernelsOffered(within: .seconds(10), now: start).map(\.rawValue) == ["mc-pi", "primes"])
        _ = pool.apply(try credit(5, worker: 2, kernels: ["mc-pi", "sum"]), from: [2], now: start)
        #expect(pool.able(within: .seconds(10), now: start) == 1)
        var chosen: [UInt64] = []
        while let index = pool.nextWithCredit() {
            chosen.append(pool.members[index].workerID)
            pool.sent(at: index)
        }
        #expect(chosen == [2, 2, 2, 2, 2])
        // The first worker restarts with the job's kernel: it is chosen from then on.
        #expect(pool.apply(try credit(1, worker: 1, reset: true, kernels: ["sum"]), from: [1], now: start) == .changedKernels)
        #expect(pool.nextWithCredit().map { pool.members[$0].workerID } == 1)
    }

    /// A worker holds at most its share: a few batches until it delivers, then what it delivers in the share's horizon.
    @Test func aWorkerHoldsAtMostItsShareAndTheShareFollowsWhatItDelivers() throws {
        var pool = try pool()
        let start = ContinuousClock.now
        _ = pool.apply(try credit(32, worker: 1), from: [1], now: start)
        let floor = WorkerPool.shareFloor * 10
        #expect(pool.nextWithCredit(now: start, batchSize: 10, held: { _ in floor - 1 }) == 0)
        #expect(pool.nextWithCredit(now: start, batchSize: 10, held: { _ in floor }) == nil)
        // It turns its whole share over, held back by it, for a rate interval: its share doubles.
        _ = pool.apply([], now: start)
        _ = pool.apply([.delivered(worker: [1], tasks: floor, sentAt: start)], now: start + .milliseconds(100))
        #expect(pool.share(at: 0, batchSize: 10) == floor * 2)
        // 100,000 tasks a second: its share is what it delivers in 100 ms, about 10,000.
        for step in 2...8 {
            _ = pool.apply(
                [.delivered(worker: [1], tasks: 10_000, sentAt: start)], now: start + .milliseconds(100 * step))
        }
        let share = pool.share(at: 0, batchSize: 10)
        #expect(share > 9_000 && share <= 10_000, "share \(share)")
        // It stops delivering: the share halves each interval, down to the floor.
        for step in 9...30 { _ = pool.apply([], now: start + .milliseconds(100 * step)) }
        #expect(pool.share(at: 0, batchSize: 10) == floor)
    }

    /// A new worker's share doubles each time it turns over the share that held it back, without waiting for its rate
    /// to be measured; a peer that delivers nothing stays at the floor however long it asks.
    @Test func aShareGrowsEachRoundTripOnlyForAWorkerThatDelivers() throws {
        var pool = try pool()
        let start = ContinuousClock.now
        _ = pool.apply(try credit(32, worker: 1), from: [1], now: start)
        _ = pool.apply(try credit(32, worker: 2), from: [2], now: start)
        let floor = WorkerPool.shareFloor
        var share = floor
        for round in 1...4 {
            let now = start + .milliseconds(round)
            #expect(pool.nextWithCredit(now: now, held: { _ in share }) == nil)  // both held back at their share
            _ = pool.apply([.delivered(worker: [1], tasks: share, sentAt: start)], now: now)
            share *= 2
            #expect(pool.share(at: 0, batchSize: 1) == share, "round \(round)")
        }
        #expect(pool.share(at: 1, batchSize: 1) == floor)
    }

    /// Lost batches while another worker delivers suspend a worker; a probe after the backoff, delivered, brings it
    /// back; a worker that merely left, or a pool where nobody delivers, is never suspended.
    @Test func aWorkerWhoseBatchesAreLostWhileOthersDeliverIsSuspendedAndProbed() throws {
        var pool = try pool()
        let start = ContinuousClock.now
        _ = pool.apply(try credit(32, worker: 1), from: [1], now: start)
        _ = pool.apply(try credit(32, worker: 2), from: [2], now: start)
        let lost = RedeliveryTracker.Settlement.lost(worker: [2], tasks: 4, sentAt: start, cause: .expired)
        // Nobody delivered since: the sink may be down. Not held against the worker.
        #expect(pool.apply([lost], now: start + .seconds(1)).isEmpty)
        #expect(pool.apply([lost], now: start + .seconds(1)).isEmpty)
        // Worker 1 delivers; worker 2 loses two batches sent before that, on two occasions: suspended for 1 s.
        _ = pool.apply([.delivered(worker: [1], tasks: 4, sentAt: start)], now: start + .seconds(2))
        #expect(pool.apply([lost], now: start + .seconds(2)).isEmpty)
        let changes = pool.apply([lost], now: start + .seconds(2))
        guard case .suspended(let member, let duration, let first) = changes.first else {
            Issue.record("no suspension: \(changes)")
            return
        }
        #expect(member.workerID == 2 && duration == WorkerHealth.firstBackoff && first)
        #expect(pool.suspect.map(\.workerID) == [2])
        #expect(pool.nextWithCredit(now: start + .seconds(2) + .milliseconds(500)) == 0)
        // After the backoff it gets one batch, its probe, and nothing more until that is settled.
        pool.sent(at: 0)
        let probeTime = start + .seconds(3)
        _ = pool.apply(try credit(1, worker: 2), from: [2], now: probeTime)
        var order: [UInt64] = []
        while let index = pool.nextWithCredit(now: probeTime), order.count < 64 {
            order.append(pool.members[index].workerID)
            pool.sent(at: index)
        }
        #expect(order.filter { $0 == 2 }.count == 1)
        // The probe is lost while worker 1 delivers: suspended twice as long.
        _ = pool.apply([.delivered(worker: [1], tasks: 4, sentAt: probeTime)], now: probeTime + .milliseconds(500))
        let again = pool.apply(
            [.lost(worker: [2], tasks: 1, sentAt: probeTime, cause: .reset)], now: probeTime + .seconds(1))
        #expect(again.count == 1)
        if case .suspended(_, let duration, let first) = again.first {
            #expect(duration == WorkerHealth.firstBackoff * 2 && !first)
        }
        #expect(pool.members[1].health.lastLoss == .reset)
        // A probe whose tasks were also re-issued to another worker and acknowledged proves nothing: suspended again.
        pool.sent(at: 1)  // its second probe, once its backoff is over
        _ = pool.apply([.delivered(worker: [1], tasks: 4, sentAt: probeTime)], now: probeTime + .milliseconds(3500))
        let raced = pool.apply([.raced(worker: [2], tasks: 1, sentAt: probeTime + .seconds(3))], now: probeTime + .seconds(4))
        #expect(raced.count == 1 && pool.suspect.map(\.workerID) == [2])
        if case .suspended(_, let duration, _) = raced.first { #expect(duration == WorkerHealth.firstBackoff * 4) }
        // Its next probe is delivered: trusted again.
        let recovered = pool.apply(
            [.delivered(worker: [2], tasks: 1, sentAt: probeTime + .seconds(3))], now: probeTime + .seconds(4))
        #expect(recovered.count == 1)
        #expect(pool.suspect.isEmpty)
        // A worker that left loses its batches without blame.
        _ = pool.apply([.delivered(worker: [2], tasks: 1, sentAt: probeTime)], now: probeTime + .seconds(5))
        let gone = RedeliveryTracker.Settlement.lost(worker: [1], tasks: 4, sentAt: probeTime, cause: .gone)
        #expect(pool.apply([gone], now: probeTime + .seconds(6)).isEmpty)
        #expect(pool.apply([gone], now: probeTime + .seconds(6)).isEmpty)
    }

    /// A sink that pauses or restarts loses every worker's batches at once, and the first deliveries after it
    /// returns would otherwise count as proof that the sink was taking results while those batches were lost.
    @Test func onlyADeliveryAfterTheLostBatchWasDueCountsAgainstAWorker() throws {
        var pool = try pool()
        let start = ContinuousClock.now
        _ = pool.apply(try credit(8, worker: 1), from: [1], now: start)
        _ = pool.apply(try credit(8, worker: 2), from: [2], now: start)
        let due = Duration.milliseconds(200)
        // Worker 1 delivers 100 ms after worker 2's batch was sent: before that batch was due, so it proves nothing.
        _ = pool.apply([.delivered(worker: [1], tasks: 4, sentAt: start)], now: start + .milliseconds(100), due: due)
        let lost = RedeliveryTracker.Settlement.lost(worker: [2], tasks: 4, sentAt: start, cause: .expired)
        for second in 1...3 {
            #expect(pool.apply([lost], now: start + .seconds(second), due: due).isEmpty)
        }
        #expect(pool.suspect.isEmpty)
        // Once worker 1 delivers after the batch was due, two such losses suspend worker 2.
        _ = pool.apply([.delivered(worker: [1], tasks: 4, sentAt: start)], now: start + .milliseconds(300), due: due)
        #expect(pool.apply([lost], now: start + .seconds(4), due: due).isEmpty)
        #expect(pool.apply([lost], now: start + .seconds(4), due: due).count == 1)
        #expect(pool.suspect.map(\.workerID) == [2])
    }
}
