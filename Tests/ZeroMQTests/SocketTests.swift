import TestSupport
import Testing
import ZeroMQ

@Suite(.timeLimit(.minutes(1)))
struct SocketTests {
    let context: Context

    init() throws {
        context = try Context()
    }

    /// A connected PUSH → PULL pair on a fresh endpoint of the given transport.
    func pair(_ transport: String) throws -> (push: Socket, pull: Socket) {
        let pull = try Socket(context, type: .pull)
        let endpoint = try pull.bind(transport)
        let push = try Socket(context, type: .push)
        try push.connect(endpoint)
        return (push, pull)
    }

    static let transports = [
        "tcp://127.0.0.1:*",
        "inproc://socket-tests-\(UInt64.random(in: 0...UInt64.max))",
        "ipc:///tmp/scattergather-test-\(UInt64.random(in: 0...UInt64.max))",
    ]

    @Test("frames cross every transport intact", arguments: transports)
    func roundTrip(transport: String) throws {
        let (push, pull) = try pair(transport)
        let payload: [UInt8] = (0..<200).map { UInt8($0) }
        #expect(try push.send(payload))
        let received = try #require(try pull.receive())
        #expect(received.bytes == payload)
        #expect(received.hasMore == false)
    }

    @Test func bindReportsTheResolvedPort() throws {
        let socket = try Socket(context, type: .pull)
        let endpoint = try socket.bind("tcp://127.0.0.1:*")
        #expect(endpoint.hasPrefix("tcp://127.0.0.1:"))
        #expect(!endpoint.hasSuffix("*"))
        #expect(try socket.option(.lastEndpoint) == endpoint)
    }

    @Test func largeFramesAreNeverTruncated() throws {
        let (push, pull) = try pair("inproc://large-\(UInt64.random(in: 0...UInt64.max))")
        let payload = [UInt8](repeating: 0xAB, count: 1 << 20) + [1, 2, 3]
        try push.send(payload)
        let size = try pull.receive { frame, _ in (frame.count, frame.last) }
        #expect(size?.0 == payload.count)
        #expect(size?.1 == 3)
    }

    @Test func multipartMessagesKeepTheirParts() throws {
        let (push, pull) = try pair("inproc://multi-\(UInt64.random(in: 0...UInt64.max))")
        let parts: [[UInt8]] = [[1], [], [2, 3, 4]]
        #expect(try push.send(parts: parts))
        #expect(try pull.receiveMultipart() == parts)
    }

    @Test func discardingRemainingFramesSkipsToTheNextMessage() throws {
        let (push, pull) = try pair("inproc://discard-\(UInt64.random(in: 0...UInt64.max))")
        try push.send(parts: [[1], [2], [3]])
        try push.send([9])
        #expect(try pull.receive()?.hasMore == true)
        #expect(try pull.discardRemainingFrames() == 2)
        #expect(try pull.receive()?.bytes == [9])
    }

    @Test func nonBlockingReceiveReturnsNilWhenEmpty() throws {
        let (_, pull) = try pair("inproc://empty-\(UInt64.random(in: 0...UInt64.max))")
        #expect(try pull.receive(flags: .dontWait) == nil)
    }

    @Test func receiveTimeoutReturnsNil() throws {
        let (_, pull) = try pair("inproc://timeout-\(UInt64.random(in: 0...UInt64.max))")
        try pull.setOption(.receiveTimeout, .milliseconds(50))
        let start = ContinuousClock.now
        #expect(try pull.receive() == nil)
        #expect(ContinuousClock.now - start >= .milliseconds(40))
    }

    @Test func pushWithNoPeerWouldBlock() throws {
        let push = try Socket(context, type: .push)
        try push.bind("tcp://127.0.0.1:*")
        #expect(try push.send([1], flags: .dontWait) == false)
    }

    @Test func malformedEndpointsAreTypedErrors() throws {
        let socket = try Socket(context, type: .pull)
        #expect(throws: ZMQError.invalidArgument) { try socket.bind("tcp://127.0.0.1") }
        #expect(throws: ZMQError.protocolNotSupported) { try socket.bind("carrier-pigeon://coop") }
    }

    @Test func bindingATakenPortSaysAddressInUse() throws {
        let first = try Socket(context, type: .pull)
        let endpoint = try first.bind("tcp://127.0.0.1:*")
        let second = try Socket(context, type: .pull)
        let error = #expect(throws: ZMQError.self) { try second.bind(endpoint) }
        #expect(error == .addressInUse)
        #expect(error?.description.isEmpty == false)
    }

    @Test func closeTwiceIsHarmless() throws {
        let socket = try Socket(context, type: .push)
        socket.close()
        socket.close()
    }

    @Test func subscriberReceivesPublishedMessages() throws {
        let publisher = try Socket(context, type: .pub)
        let endpoint = try publisher.bind("inproc://pubsub-\(UInt64.random(in: 0...UInt64.max))")
        let subscriber = try Socket(context, type: .sub)
        try subscriber.setOption(.subscribe, [7])
        try subscriber.setOption(.receiveTimeout, .milliseconds(20))
        try subscriber.connect(endpoint)
        // Subscriptions propagate asynchronously: publish until one arrives.
        var got: [UInt8]?
        for _ in 0..<100 where got == nil {
            try publisher.send([8, 0])  // filtered out
            try publisher.send([7, 1])
            got = try subscriber.receive()?.bytes
        }
        #expect(got == [7, 1])
    }

    @Test func pollerReportsReadableAndWritable() throws {
        let (push, pull) = try pair("inproc://poll-\(UInt64.random(in: 0...UInt64.max))")
        let poller = Poller()
        let pullIndex = poller.add(pull, interest: .readable)
        let pushIndex = poller.add(push, interest: .writable)
        #expect(try poller.poll(timeout: .milliseconds(100)) == 1)
        #expect(poller.events(at: pushIndex) == .writable)
        #expect(poller.events(at: pullIndex) == [])
        try push.send([1])
        poller.setInterest([], at: pushIndex)
        #expect(try poller.poll(timeout: .seconds(1)) == 1)
        #expect(poller.events(at: pullIndex) == .readable)
    }

    @Test func shutdownWakesABlockedReceive() async throws {
        let context = try Context()
        let endpoint = "inproc://shutdown-\(UInt64.random(in: 0...UInt64.max))"
        let outcome = BlockingThread.run {
            let pull = try Socket(context, type: .pull)
            try pull.bind(endpoint)
            _ = try pull.receive()
        }
        try await Task.sleep(for: .milliseconds(100))
        context.shutdown()
        #expect(throws: ZMQError.terminated) { try outcome.value(timeout: .seconds(5)) }
    }

    /// A deadline already passed means "don't wait"; libzmq reads a negative timeout as "forever".
    @Test func aTimeoutAlreadyPassedDoesNotWaitForever() async throws {
        let context = self.context
        let outcome = BlockingThread.run {
            let pull = try Socket(context, type: .pull)
            try pull.bind("inproc://past-\(UInt64.random(in: 0...UInt64.max))")
            let poller = Poller()
            poller.add(pull, interest: .readable)
            let deadline = ContinuousClock.now - .milliseconds(5)
            return try poller.poll(timeout: deadline - .now)
        }
        #expect(try outcome.value(timeout: .seconds(5)) == 0)
    }
}
