internal import CZMQ

/// What a ``Poller`` waits for on a socket.
public struct PollEvents: OptionSet, Hashable, Sendable {
    public let rawValue: Int16

    public init(rawValue: Int16) {
        self.rawValue = rawValue
    }

    /// At least one message can be received without blocking.
    public static var readable: PollEvents { PollEvents(rawValue: Int16(ZMQ_POLLIN)) }
    /// At least one message can be sent without blocking.
    public static var writable: PollEvents { PollEvents(rawValue: Int16(ZMQ_POLLOUT)) }
}

/// Waits on several sockets at once. Owned by one thread, like its sockets.
///
/// The poll items are kept between calls, so polling allocates nothing.
public final class Poller {
    private var sockets: [Socket] = []
    private var items: [zmq_pollitem_t] = []

    public init() {}

    /// Adds a socket and returns its index for ``events(at:)`` and ``setInterest(_:at:)``.
    @discardableResult
    public func add(_ socket: Socket, interest: PollEvents) -> Int {
        sockets.append(socket)
        items.append(zmq_pollitem_t(socket: socket.openHandle, fd: 0, events: interest.rawValue, revents: 0))
        return items.count - 1
    }

    /// Changes what the socket at `index` is polled for; an empty set ignores it.
    public func setInterest(_ interest: PollEvents, at index: Int) {
        items[index].events = interest.rawValue
    }

    /// Waits until some socket is ready or the timeout passes (`nil` waits forever).
    ///
    /// - Returns: how many sockets are ready; 0 after a timeout.
    /// The corresponding C function is `zmq_poll`.
    @discardableResult
    public func poll(timeout: Duration?, retryOnInterrupt: Bool = true) throws(ZMQError) -> Int {
        let milliseconds = timeout.map { Int($0.milliseconds) } ?? -1
        let count = items.count
        return Int(
            try items.withUnsafeMutableBufferPointer { (buffer) throws(ZMQError) -> Int32 in
                try valueOrError(retryOnInterrupt: retryOnInterrupt) {
                    zmq_poll(buffer.baseAddress, Int32(count), milliseconds)
                }
            })
    }

    /// What the socket at `index` was ready for after the last ``poll(timeout:retryOnInterrupt:)``.
    public func events(at index: Int) -> PollEvents {
        PollEvents(rawValue: items[index].revents)
    }
}
