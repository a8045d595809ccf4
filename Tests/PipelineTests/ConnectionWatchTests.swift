import TestSupport
import Testing
import ZeroMQ

@testable import Pipeline

@Suite(.timeLimit(.minutes(1)))
struct ConnectionWatchTests {
    /// A connecting socket's first connection is not a reconnection; one made to a new server at the same endpoint,
    /// after the first server went away (the next job's ventilator), is.
    @Test func aConnectionMadeAgainToANewServerIsReported() async throws {
        let context = try Context()
        let first = try Socket(context, type: .router)
        try first.setOption(.linger, .zero)
        let endpoint = try first.bind("tcp://127.0.0.1:*")
        let client = try Socket(context, type: .dealer)
        try client.setOption(.linger, .zero)
        var watch = try ConnectionWatch(client, role: "worker", peer: "the ventilator", keys: nil, connects: true)
        try client.connect(endpoint)
        try expectDelivery(from: client, to: first)
        #expect(watch.check(logger: quiet).reconnected.isEmpty)

        first.close()
        let second = try Socket(context, type: .router)
        try second.setOption(.linger, .zero)
        try await second.bindWhenFree(endpoint)
        var reconnected: [String] = []
        let deadline = ContinuousClock.now + .seconds(20)
        while reconnected.isEmpty && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
            reconnected += watch.check(logger: quiet).reconnected
        }
        #expect(reconnected == [endpoint])
        try expectDelivery(from: client, to: second)
        #expect(watch.check(logger: quiet).reconnected.isEmpty)
    }

    /// Sends a frame from `client` until `server` receives one: the connection is up.
    private func expectDelivery(from client: Socket, to server: Socket) throws {
        let deadline = ContinuousClock.now + .seconds(20)
        _ = try client.send([1], flags: .dontWait)
        let poller = Poller()
        poller.add(server, interest: .readable)
        while ContinuousClock.now < deadline {
            if try poller.poll(timeout: .milliseconds(200)) > 0, let frames = try server.receiveMultipart(flags: .dontWait) {
                #expect(frames.last == [1])
                return
            }
        }
        Issue.record("the server received nothing from its client")
    }
}
