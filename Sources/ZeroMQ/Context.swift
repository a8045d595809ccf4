internal import CZMQ

/// A libzmq context: the I/O threads and the registry that sockets live in.
///
/// Every ``Socket`` holds a strong reference to its context, so the context is terminated
/// only after its last socket has been closed; termination therefore never hangs on an open socket.
/// libzmq contexts are thread-safe, so a context may be shared across threads.
public final class Context: @unchecked Sendable {
    let handle: UnsafeMutableRawPointer

    /// Creates a context with the given number of I/O threads.
    ///
    /// The corresponding C function is `zmq_ctx_new`.
    public init(ioThreads: Int = 1) throws(ZMQError) {
        guard let handle = zmq_ctx_new() else { throw ZMQError.current }
        self.handle = handle
        _ = try valueOrError { zmq_ctx_set(handle, ZMQ_IO_THREADS, Int32(clamping: ioThreads)) }
    }

    /// Makes every blocking call on this context's sockets return ``ZMQError/terminated``,
    /// so threads blocked in them can finish. Safe to call from any thread, more than once.
    ///
    /// The corresponding C function is `zmq_ctx_shutdown`.
    public func shutdown() {
        _ = zmq_ctx_shutdown(handle)
    }

    deinit {
        // No socket can be open here (each holds its context), so this returns promptly.
        while zmq_ctx_term(handle) == -1 && zmq_errno() == EINTR {}
    }
}
