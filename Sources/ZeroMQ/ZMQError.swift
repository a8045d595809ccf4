internal import CZMQ

#if canImport(Glibc)
    internal import Glibc
#endif

/// An error reported by libzmq: its `errno` value and libzmq's own description of it.
///
/// Compare against the named values to decide what to do next:
/// `catch ZMQError.again` (would block), `catch ZMQError.terminated` (the context is shutting down).
public struct ZMQError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The raw `errno` value, as libzmq reported it.
    public let code: Int32

    public init(code: Int32) {
        self.code = code
    }

    /// The operation would block (`EAGAIN`).
    public static var again: ZMQError { ZMQError(code: EAGAIN) }
    /// A signal interrupted the call (`EINTR`).
    public static var interrupted: ZMQError { ZMQError(code: EINTR) }
    /// The socket's context was terminated (`ETERM`).
    public static var terminated: ZMQError { ZMQError(code: CZMQ_ETERM) }
    /// An argument was invalid, for example a malformed endpoint (`EINVAL`).
    public static var invalidArgument: ZMQError { ZMQError(code: EINVAL) }
    /// The endpoint is already bound by someone else (`EADDRINUSE`).
    public static var addressInUse: ZMQError { ZMQError(code: EADDRINUSE) }
    /// The endpoint's transport is not supported (`EPROTONOSUPPORT`).
    public static var protocolNotSupported: ZMQError { ZMQError(code: EPROTONOSUPPORT) }
    /// The requested address is not local (`EADDRNOTAVAIL`).
    public static var addressNotAvailable: ZMQError { ZMQError(code: EADDRNOTAVAIL) }
    /// No such device, typically an unknown interface or host name (`ENODEV`).
    public static var noDevice: ZMQError { ZMQError(code: ENODEV) }
    /// The operation is not valid in the socket's current state (`EFSM`).
    public static var wrongState: ZMQError { ZMQError(code: CZMQ_EFSM) }
    /// A ROUTER with ``SocketOption/routerMandatory`` has no peer with that routing id (`EHOSTUNREACH`).
    public static var hostUnreachable: ZMQError { ZMQError(code: EHOSTUNREACH) }
    /// The endpoint was not bound or connected on this socket (`ENOENT`).
    public static var noSuchEndpoint: ZMQError { ZMQError(code: ENOENT) }

    /// libzmq's description of the error; the corresponding C function is `zmq_strerror`.
    public var description: String {
        String(cString: zmq_strerror(code))
    }

    /// The error libzmq reported for the call that just failed on this thread.
    static var current: ZMQError { ZMQError(code: zmq_errno()) }
}
