import Testing
import Wire

@testable import PipelineCore

/// Who gets the next batch, driven with plain credits.
@Suite struct WorkerPoolTests {
    func credit(_ batches: UInt16, worker: UInt64, reset: Bool = false, kernels: [String] = ["sum"]) throws -> Credit {
        try Credit(batches: batches, isReset: reset, workerID: worker, kernels: kernels.map(KernelName.init))
    }

    func pool() throws -> WorkerPool { WorkerPool(kernel: try KernelName("sum")) }

    @Test func workersWithCreditTakeTurns() throws {
        var pool = try pool()
        #expect(pool.apply(try credit(2, worker: 1), from: [1]) == .joined)
        #expect(pool.apply(try credit(2, worker: 2), from: [2]) == .joined)
        #expect(pool.apply(try credit(1, worker: 1), from: [1]) == .known)
        var order: [UInt64] = []
        while let index = pool.nextWithCredit() {
            order.append(pool.members[index].workerID)
            pool.consumeCredit(at: index)
        }
        #expect(order == [1, 2, 1, 2, 1])
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
            pool.consumeCredit(at: index)
        }
        #expect(chosen == [2, 2, 2, 2, 2])
        // The first worker restarts with the job's kernel: it is chosen from then on.
        #expect(pool.apply(try credit(1, worker: 1, reset: true, kernels: ["sum"]), from: [1], now: start) == .changedKernels)
        #expect(pool.nextWithCredit().map { pool.members[$0].workerID } == 1)
    }
}
