internal import CZMQ

/// A typed socket option: its libzmq name and, through `Value`, the Swift type it takes.
///
/// Durations are converted to libzmq's milliseconds; `nil` means "no limit" (libzmq's -1).
public struct SocketOption<Value>: Sendable {
    let name: Int32

    init(_ name: Int32) {
        self.name = name
    }
}

extension SocketOption where Value == Int32 {
    /// Most messages queued for sending per peer before sends block or drop (`ZMQ_SNDHWM`).
    public static var sendHighWaterMark: Self { .init(ZMQ_SNDHWM) }
    /// Most messages queued for receiving per peer (`ZMQ_RCVHWM`).
    public static var receiveHighWaterMark: Self { .init(ZMQ_RCVHWM) }
    /// Kernel send buffer size in bytes; 0 keeps the OS default (`ZMQ_SNDBUF`).
    public static var sendBufferSize: Self { .init(ZMQ_SNDBUF) }
    /// Kernel receive buffer size in bytes; 0 keeps the OS default (`ZMQ_RCVBUF`).
    public static var receiveBufferSize: Self { .init(ZMQ_RCVBUF) }
}

extension SocketOption where Value == Int64 {
    /// Largest inbound message in bytes; a peer sending more is disconnected (`ZMQ_MAXMSGSIZE`).
    public static var maxMessageSize: Self { .init(ZMQ_MAXMSGSIZE) }
}

extension SocketOption where Value == Bool {
    /// Queue messages only to completed connections (`ZMQ_IMMEDIATE`).
    public static var immediate: Self { .init(ZMQ_IMMEDIATE) }
    /// Make a ROUTER report unroutable messages as ``ZMQError/hostUnreachable`` instead of dropping them
    /// (`ZMQ_ROUTER_MANDATORY`).
    public static var routerMandatory: Self { .init(ZMQ_ROUTER_MANDATORY) }
    /// Act as a CurveZMQ server: peers must authenticate and everything is encrypted (`ZMQ_CURVE_SERVER`).
    public static var curveServer: Self { .init(ZMQ_CURVE_SERVER) }
    /// Turn on TCP keepalive probes on this socket's connections (`ZMQ_TCP_KEEPALIVE`).
    public static var tcpKeepalive: Self { .init(ZMQ_TCP_KEEPALIVE) }
    /// Accept IPv6 as well as IPv4 (`ZMQ_IPV6`).
    public static var ipv6: Self { .init(ZMQ_IPV6) }
}

extension SocketOption where Value == Duration? {
    /// How long unsent messages are kept after close; `nil` keeps them forever (`ZMQ_LINGER`).
    public static var linger: Self { .init(ZMQ_LINGER) }
    /// How long a blocking receive waits before ``ZMQError/again`` (`ZMQ_RCVTIMEO`).
    public static var receiveTimeout: Self { .init(ZMQ_RCVTIMEO) }
    /// How long a blocking send waits before ``ZMQError/again`` (`ZMQ_SNDTIMEO`).
    public static var sendTimeout: Self { .init(ZMQ_SNDTIMEO) }
    /// Interval between ZMTP heartbeats; `nil` disables them (`ZMQ_HEARTBEAT_IVL`).
    public static var heartbeatInterval: Self { .init(ZMQ_HEARTBEAT_IVL) }
    /// How long to wait for a heartbeat reply before closing the connection (`ZMQ_HEARTBEAT_TIMEOUT`).
    public static var heartbeatTimeout: Self { .init(ZMQ_HEARTBEAT_TIMEOUT) }
    /// How long the peer should wait for our next heartbeat (`ZMQ_HEARTBEAT_TTL`).
    public static var heartbeatTimeToLive: Self { .init(ZMQ_HEARTBEAT_TTL) }
    /// How long a new connection may take to finish the ZMTP handshake before it is closed; libzmq's default is
    /// 30 s (`ZMQ_HANDSHAKE_IVL`).
    public static var handshakeInterval: Self { .init(ZMQ_HANDSHAKE_IVL) }
    /// Base interval between reconnection attempts (`ZMQ_RECONNECT_IVL`).
    public static var reconnectInterval: Self { .init(ZMQ_RECONNECT_IVL) }
    /// The longest interval between reconnection attempts: each failed attempt doubles the interval up to this
    /// (`ZMQ_RECONNECT_IVL_MAX`; 0, the default, keeps it at ``reconnectInterval``).
    public static var reconnectIntervalMaximum: Self { .init(ZMQ_RECONNECT_IVL_MAX) }
}

extension SocketOption where Value == [UInt8] {
    /// Receive only messages starting with these bytes; empty subscribes to all (`ZMQ_SUBSCRIBE`).
    public static var subscribe: Self { .init(ZMQ_SUBSCRIBE) }
    /// Stop receiving messages with this prefix (`ZMQ_UNSUBSCRIBE`).
    public static var unsubscribe: Self { .init(ZMQ_UNSUBSCRIBE) }
    /// This socket's identity on ROUTER peers (`ZMQ_ROUTING_ID`).
    public static var routingID: Self { .init(ZMQ_ROUTING_ID) }
}

extension SocketOption where Value == String {
    /// This socket's CurveZMQ public key, Z85 text (`ZMQ_CURVE_PUBLICKEY`).
    public static var curvePublicKey: Self { .init(ZMQ_CURVE_PUBLICKEY) }
    /// This socket's CurveZMQ secret key, Z85 text (`ZMQ_CURVE_SECRETKEY`).
    public static var curveSecretKey: Self { .init(ZMQ_CURVE_SECRETKEY) }
    /// The server's public key a CurveZMQ client connects to, Z85 text (`ZMQ_CURVE_SERVERKEY`).
    public static var curveServerKey: Self { .init(ZMQ_CURVE_SERVERKEY) }
    /// The authentication domain sent to the ZAP handler (`ZMQ_ZAP_DOMAIN`).
    public static var zapDomain: Self { .init(ZMQ_ZAP_DOMAIN) }
    /// The endpoint most recently bound, with `*` ports resolved (`ZMQ_LAST_ENDPOINT`).
    public static var lastEndpoint: Self { .init(ZMQ_LAST_ENDPOINT) }
}

extension Duration {
    /// Whole milliseconds, rounded up so a short positive timeout never becomes "don't wait", and
    /// never negative: libzmq reads -1 as "forever", and a deadline already passed must mean "don't wait".
    var milliseconds: Int32 {
        let (seconds, attoseconds) = components
        guard seconds >= 0 && attoseconds >= 0 else { return 0 }
        let ms = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(clamping: ms)
    }
}
