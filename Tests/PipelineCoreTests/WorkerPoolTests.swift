import Testing
import Wire

@testable import PipelineCore

/// Who gets the next batch, driven with plain credits.
@Suite struct WorkerPoolTests {
    func credit(_ batches: UInt16, worker: UInt64, reset: Bool = false) throws -> Credit {
        try Credit(batches: batches, isReset: reset, workerID: worker)
    }

    @Test func workersWithCreditTakeTurns() throws {
        var pool = WorkerPool()
        #expect(pool.apply(try credit(2, worker: 1), from: [1]))
        #expect(pool.apply(try credit(2, worker: 2), from: [2]))
        #expect(!pool.apply(try credit(1, worker: 1), from: [1]))
        var order: [UInt64] = []
        while let index = pool.nextWithCredit() {
            order.append(pool.members[index].workerID)
            pool.consumeCredit(at: index)
        }
        #expect(order == [1, 2, 1, 2, 1])
    }

    @Test func creditIsCappedAndAResetReplacesIt() throws {
        var pool = WorkerPool()
        _ = pool.apply(try credit(1000, worker: 1), from: [1])
        #expect(pool.members[0].credit == WorkerPool.maxCredit)
        _ = pool.apply(try credit(3, worker: 1, reset: true), from: [1])
        #expect(pool.members[0].credit == 3)
    }

    @Test func aRemovedWorkerGetsNothingMore() throws {
        var pool = WorkerPool()
        _ = pool.apply(try credit(5, worker: 1), from: [1])
        _ = pool.apply(try credit(5, worker: 2), from: [2])
        #expect(pool.remove(at: 0).workerID == 1)
        #expect(pool.count == 1)
        let found = pool.nextWithCredit()
        let next = try #require(found)
        #expect(pool.members[next].workerID == 2)
    }

    @Test func onlyWorkersHeardFromRecentlyCountAsActive() throws {
        var pool = WorkerPool()
        let start = ContinuousClock.now
        _ = pool.apply(try credit(1, worker: 1), from: [1], now: start)
        _ = pool.apply(try credit(1, worker: 2), from: [2], now: start + .seconds(20))
        #expect(pool.active(within: .seconds(10), now: start + .seconds(21)) == 1)
    }
}
