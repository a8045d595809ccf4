internal import CZMQ
import Synchronization

/// What happens to a socket's connections, as libzmq's socket monitor reports it: connections made and lost, and
/// handshakes that failed (with CURVE: a peer without keys, a key the other side refused, the wrong server key).
///
/// Owned by the thread that owns the socket; read it with ``next()`` from that thread's loop.
public final class SocketMonitor {
    /// One event.
    public struct Event: Hashable, Sendable {
        public let kind: Kind
        /// The event's value: for a failed handshake, libzmq's protocol error (``ProtocolError``) or the ZAP status
        /// code (such as 400).
        public let value: UInt32
        /// The endpoint of the connection: the peer's address for a bound socket, the endpoint for a connecting one.
        public let endpoint: String
    }

    /// The events a monitor reports.
    public enum Kind: UInt16, Hashable, Sendable {
        case connected = 0x0001
        /// A connect that did not complete at once (libzmq goes on trying).
        case connectDelayed = 0x0002
        /// libzmq is trying to connect again.
        case connectRetried = 0x0004
        case accepted = 0x0020
        case disconnected = 0x0200
        case handshakeFailedNoDetail = 0x0800
        case handshakeSucceeded = 0x1000
        case handshakeFailedProtocol = 0x2000
        case handshakeFailedAuth = 0x4000
    }

    /// libzmq's protocol errors that say why a CURVE handshake failed.
    public enum ProtocolError {
        /// The peer speaks another security mechanism (one has keys, the other not).
        public static let mechanismMismatch: UInt32 = 0x1100_0002
        /// A message could not be decrypted or authenticated: the client has the wrong public key for the server.
        public static let cryptographic: UInt32 = 0x1100_0001
    }

    private let pair: Socket
    private static let counter = Atomic<Int>(0)

    /// Starts monitoring `socket` for `kinds`. The corresponding C function is `zmq_socket_monitor`.
    public init(_ socket: Socket, kinds: Set<Kind>) throws(ZMQError) {
        let endpoint = "inproc://scattergather-monitor-\(Self.counter.add(1, ordering: .relaxed).newValue)"
        let mask = kinds.reduce(Int32(0)) { $0 | Int32($1.rawValue) }
        let handle = socket.openHandle
        _ = try valueOrError { zmq_socket_monitor(handle, endpoint, mask) }
        pair = try Socket(socket.context, type: .pair)
        try pair.setOption(.linger, .zero)
        try pair.connect(endpoint)
    }

    /// The next event, if one is waiting; never blocks.
    public func next() -> Event? {
        guard let head = try? pair.receive(flags: .dontWait), head.hasMore, head.bytes.count >= 6 else { return nil }
        let raw = head.bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt16.self) }
        let value = head.bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 2, as: UInt32.self) }
        let address = (try? pair.receive(flags: .dontWait))?.bytes ?? []
        guard let kind = Kind(rawValue: raw) else { return next() }
        return Event(kind: kind, value: value, endpoint: String(decoding: address, as: UTF8.self))
    }
}
