import Foundation
import TestSupport
import Testing
import Wire
import ZeroMQ

/// A worker whose task connection a "ventilator" breaks with an oversized frame (libzmq then drops the connection
/// and does not retry it): the worker notices, says why, connects again, and computes the next batch.
@Suite(.timeLimit(.minutes(3)))
struct DeafWorkerTests {
    @Test func aWorkerSentAnOversizedFrameConnectsAgainAndGoesBackToWork() async throws {
        let context = try Context()
        let ventilator = try Socket(context, type: .router)
        try ventilator.setOption(.receiveTimeout, .seconds(30))
        let tasks = try ventilator.bind("tcp://127.0.0.1:*")
        let sink = try Socket(context, type: .pull)
        try sink.setOption(.receiveTimeout, .seconds(30))
        let results = try sink.bind("tcp://127.0.0.1:*")
        let worker = try RunningProcess("worker", ["--tasks", tasks, "--results", results, "--id", "deaf"])

        // Its first request for work, then a frame over the worker's 64 KiB limit.
        let first = try #require(try ventilator.receiveMultipart(), "the worker never asked for work")
        #expect(try Credit(decoding: first[1]).isReset)
        try ventilator.send(parts: [first[0], [UInt8](repeating: 7, count: 200_000)])

        // It comes back on a new connection (a new routing id) and asks again.
        var again: [[UInt8]] = first
        let deadline = ContinuousClock.now + .seconds(30)
        while again[0] == first[0] && ContinuousClock.now < deadline {
            again = try #require(try ventilator.receiveMultipart(), "the worker did not ask for work again")
        }
        #expect(again[0] != first[0], "no request came on a new connection")
        try await waitForLog(worker, containing: "was closed and libzmq is not retrying it")

        // And computes what it is sent.
        let batch = try TaskBatch(kernel: KernelName("sum"), [RangeTask(jobID: 9, taskID: 0, lo: 1, hi: 100)])
        try ventilator.send(parts: [again[0], batch.encoded()])
        let answer = try #require(try sink.receive(), "the worker sent no result")
        let result = try ResultBatch(decoding: answer.bytes)
        #expect(result.results.map(\.partial) == [5050])
        worker.signal()
        #expect(try await worker.waitForExit(timeout: .seconds(60)) == 0)
    }

    /// A worker asks for work only while a sink takes its results: with none at its --results endpoint it says so
    /// and waits; once one is there, it asks.
    @Test func aWorkerWithoutASinkWaitsForOneBeforeAskingForWork() async throws {
        let context = try Context()
        let ventilator = try Socket(context, type: .router)
        try ventilator.setOption(.receiveTimeout, .seconds(3))
        let tasks = try ventilator.bind("tcp://127.0.0.1:*")
        // A port with nothing behind it yet: bound, taken, and closed again.
        let results = try { () throws -> String in try Socket(context, type: .pull).bind("tcp://127.0.0.1:*") }()
        let worker = try RunningProcess("worker", ["--tasks", tasks, "--results", results, "--id", "a5c"])
        try await waitForLog(worker, containing: "no sink takes results at \(results)")
        #expect(try ventilator.receiveMultipart() == nil, "the worker asked for work with no sink to send results to")

        // The placeholder's listener is closed by libzmq's I/O thread, after its socket is gone: bind once it is.
        let sink = try Socket(context, type: .pull)
        try await sink.bindWhenFree(results)
        try ventilator.setOption(.receiveTimeout, .seconds(30))
        let request = try #require(try ventilator.receiveMultipart(), "the worker did not ask once a sink was there")
        #expect(try Credit(decoding: request[1]).isReset)
        try await waitForLog(worker, containing: "takes results again")
        worker.signal()
        #expect(try await worker.waitForExit(timeout: .seconds(60)) == 0)
    }
}
