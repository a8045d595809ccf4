internal import CZMQ

/// A ZeroMQ socket, owned by one thread at a time.
///
/// It is not `Sendable`: libzmq sockets are not thread-safe. It keeps its ``Context`` alive,
/// is closed exactly once (by ``close()`` or when released), and has a finite linger by default
/// (`defaultLinger`), so a process never hangs at exit on undelivered messages.
public final class Socket {
    /// The linger given to every new socket: long enough to flush a final report, short enough to exit.
    public static let defaultLinger: Duration = .seconds(1)

    /// The kind of socket.
    public let type: SocketType
    let context: Context
    private var handle: UnsafeMutableRawPointer?
    /// One message reused for every receive, so receiving allocates nothing per message.
    private let message: UnsafeMutablePointer<zmq_msg_t>

    /// Opens a socket of the given type in a context.
    ///
    /// The corresponding C function is `zmq_socket`.
    public init(_ context: Context, type: SocketType) throws(ZMQError) {
        guard let handle = zmq_socket(context.handle, type.rawValue) else { throw ZMQError.current }
        self.context = context
        self.type = type
        self.handle = handle
        message = .allocate(capacity: 1)
        zmq_msg_init(message)
        try setOption(.linger, Socket.defaultLinger)
    }

    deinit {
        close()
        zmq_msg_close(message)
        message.deallocate()
    }

    /// Closes the socket now; later calls do nothing. Pending messages are sent for up to the linger time.
    ///
    /// The corresponding C function is `zmq_close`.
    public func close() {
        guard let handle else { return }
        self.handle = nil
        _ = zmq_close(handle)
    }

    var openHandle: UnsafeMutableRawPointer {
        guard let handle else { preconditionFailure("use of a closed ZeroMQ socket") }
        return handle
    }

    /// Accepts connections on an endpoint such as `tcp://127.0.0.1:5557`, `tcp://127.0.0.1:*`,
    /// `ipc:///tmp/sock` or `inproc://name`, and returns the endpoint actually bound (ports resolved).
    ///
    /// The corresponding C function is `zmq_bind`.
    @discardableResult
    public func bind(_ endpoint: String) throws(ZMQError) -> String {
        let handle = openHandle
        _ = try valueOrError { zmq_bind(handle, endpoint) }
        return try option(.lastEndpoint)
    }

    /// Connects to an endpoint; libzmq connects (and reconnects) in the background.
    ///
    /// The corresponding C function is `zmq_connect`.
    public func connect(_ endpoint: String) throws(ZMQError) {
        let handle = openHandle
        _ = try valueOrError { zmq_connect(handle, endpoint) }
    }

    /// Stops connecting to an endpoint this socket connected to.
    ///
    /// The corresponding C function is `zmq_disconnect`.
    public func disconnect(_ endpoint: String) throws(ZMQError) {
        let handle = openHandle
        _ = try valueOrError { zmq_disconnect(handle, endpoint) }
    }

    // MARK: Sending

    /// Sends one frame, copying the bytes.
    ///
    /// - Returns: `false` when the message could not be queued without blocking
    ///   (with ``MessageFlags/dontWait``, or after the send timeout).
    /// The corresponding C function is `zmq_send`.
    @discardableResult
    public func send(
        _ bytes: UnsafeRawBufferPointer, flags: MessageFlags = [], retryOnInterrupt: Bool = true
    ) throws(ZMQError) -> Bool {
        let handle = openHandle
        return try valueOrNilIfWouldBlock(retryOnInterrupt: retryOnInterrupt) {
            zmq_send(handle, bytes.baseAddress, bytes.count, flags.rawValue)
        } != nil
    }

    /// Sends one frame holding `bytes`. See ``send(_:flags:retryOnInterrupt:)-(UnsafeRawBufferPointer,_,_)``.
    @discardableResult
    public func send(
        _ bytes: [UInt8], flags: MessageFlags = [], retryOnInterrupt: Bool = true
    ) throws(ZMQError) -> Bool {
        try bytes.withUnsafeBytes { buffer in
            Result { () throws(ZMQError) in try send(buffer, flags: flags, retryOnInterrupt: retryOnInterrupt) }
        }.get()
    }

    /// Sends a multipart message: every part but the last carries ``MessageFlags/sendMore``.
    @discardableResult
    public func send(parts: [[UInt8]], flags: MessageFlags = []) throws(ZMQError) -> Bool {
        precondition(!parts.isEmpty, "a message has at least one part")
        for (index, part) in parts.enumerated() {
            let more: MessageFlags = index < parts.count - 1 ? .sendMore : []
            guard try send(part, flags: flags.union(more)) else {
                // Only the first part can be refused; libzmq queues the rest atomically.
                return false
            }
        }
        return true
    }

    // MARK: Receiving

    /// Receives one frame and lends its bytes to `body`, without copying and without truncation.
    ///
    /// - Parameter body: gets the frame's bytes (valid only during the call: copy what you keep) and whether more frames
    ///   of the same message follow.
    /// - Returns: `body`'s result, or `nil` when no frame arrived without blocking
    ///   (with ``MessageFlags/dontWait``, or after the receive timeout).
    /// The corresponding C function is `zmq_msg_recv`.
    public func receive<R>(
        flags: MessageFlags = [], retryOnInterrupt: Bool = true,
        _ body: (_ frame: UnsafeRawBufferPointer, _ hasMore: Bool) -> R
    ) throws(ZMQError) -> R? {
        let handle = openHandle
        let message = self.message
        let received = try valueOrNilIfWouldBlock(retryOnInterrupt: retryOnInterrupt) {
            zmq_msg_recv(message, handle, flags.rawValue)
        }
        guard received != nil else { return nil }
        let frame = UnsafeRawBufferPointer(start: zmq_msg_data(message), count: zmq_msg_size(message))
        return body(frame, zmq_msg_more(message) == 1)
    }

    /// Like ``receive(flags:retryOnInterrupt:_:)``, but also lends `body` the frame's properties, such as the
    /// authenticated peer's `User-Id`.
    public func receiveWithProperties<R>(
        flags: MessageFlags = [], retryOnInterrupt: Bool = true,
        _ body: (_ frame: UnsafeRawBufferPointer, _ hasMore: Bool, _ properties: FrameProperties) -> R
    ) throws(ZMQError) -> R? {
        let message = self.message
        return try receive(flags: flags, retryOnInterrupt: retryOnInterrupt) { frame, hasMore in
            body(frame, hasMore, FrameProperties(message: message))
        }
    }

    /// Receives one frame as a copy. `nil` when nothing arrived without blocking.
    public func receive(flags: MessageFlags = []) throws(ZMQError) -> (bytes: [UInt8], hasMore: Bool)? {
        try receive(flags: flags) { frame, more in (Array(frame), more) }
    }

    /// Receives every frame of one message. `nil` when nothing arrived without blocking.
    public func receiveMultipart(flags: MessageFlags = []) throws(ZMQError) -> [[UInt8]]? {
        guard let first = try receive(flags: flags) else { return nil }
        var parts = [first.bytes]
        var more = first.hasMore
        while more {
            // The remaining frames of a message are already here: these never block.
            guard let next = try receive() else { break }
            parts.append(next.bytes)
            more = next.hasMore
        }
        return parts
    }

    /// Discards the remaining frames of a partly received message, returning how many there were.
    @discardableResult
    public func discardRemainingFrames() throws(ZMQError) -> Int {
        var count = 0
        while try option(.receiveMore) {
            _ = try receive()
            count += 1
        }
        return count
    }
}

/// The properties (ZMTP metadata) of a frame just received; valid only during the receive's body.
public struct FrameProperties {
    let message: UnsafeMutablePointer<zmq_msg_t>

    /// A property's value: `User-Id` (what the ZAP handler said of the peer: here, its public key),
    /// `Peer-Address`, `Socket-Type`. The corresponding C function is `zmq_msg_gets`.
    public func value(of property: String) -> String? {
        guard let text = zmq_msg_gets(message, property) else { return nil }
        return String(cString: text)
    }

    /// The authenticated peer's user id, when a ZAP handler gave one.
    public var userID: String? { value(of: "User-Id") }
}
