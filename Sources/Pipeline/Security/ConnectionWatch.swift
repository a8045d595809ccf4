public import Logging
import PipelineCore
public import ZeroMQ

/// Watches one socket's connections through libzmq's socket monitor.
///
/// With CURVE it logs each failed handshake on this side, with its likely cause: a peer without keys, a key the other
/// side refused, the wrong server key (at most one line a second per socket and cause, so one flood of failures does
/// not hide another kind). For a connecting socket it also notices when libzmq has given up on a connection (a
/// refused handshake, or a protocol error such as a frame over the size limit, after which libzmq does not connect
/// again by itself), so the role can connect again, and when a connection is made again after one closed, so the role
/// can greet what may be a new process at the other end.
public struct ConnectionWatch {
    /// What a ``check(logger:)`` found on a connecting socket, by endpoint.
    public struct Changes: Equatable {
        /// Connections libzmq has given up on: connect them again.
        public var givenUp: [String] = []
        /// Connections made again after an earlier one closed: the peer may have restarted, and knows nothing of us.
        public var reconnected: [String] = []
    }

    private let monitor: SocketMonitor
    private let role: String
    /// Whether this socket connects (rather than binds).
    private let connects: Bool
    /// Who is at the other end, for messages: "the sink", "a worker".
    private let peer: String
    /// For a connecting socket: the flag that names the server's key, and that key's fingerprint.
    private let serverKey: (flag: String, fingerprint: String)?
    /// With CURVE: this role's key's fingerprint; `nil` in plaintext, where there is no handshake to diagnose.
    private let ownFingerprint: String?
    private var warnings: [UInt64: RateLimitedWarning] = [:]
    /// Connections (by endpoint) made and not yet through their handshake.
    private var pending: Set<String> = []
    /// Connecting sockets: when each endpoint's connection closed, until libzmq says it is trying again.
    private var dropped: [String: ContinuousClock.Instant] = [:]
    /// Connecting sockets: the endpoints connected at least once.
    private var connectedBefore: Set<String> = []
    /// How long after a close without a retry libzmq is taken to have given up (it retries within its 100 ms).
    static let givenUpAfter: Duration = .seconds(1)

    /// Watches a socket that binds (`connects` false), or connects (with CURVE, `serverKey` the flag and key it
    /// expects). `keys` is this role's pair, or `nil` in plaintext.
    public init(
        _ socket: Socket, role: String, peer: String, keys: CurveKeyPair?, connects: Bool,
        serverKey: (flag: String, key: String)? = nil
    ) throws(ZMQError) {
        monitor = try SocketMonitor(
            socket,
            kinds: [
                .connected, .connectDelayed, .connectRetried, .accepted, .disconnected, .handshakeSucceeded,
                .handshakeFailedNoDetail, .handshakeFailedProtocol, .handshakeFailedAuth,
            ])
        self.role = role
        self.peer = peer
        self.connects = connects
        self.serverKey = serverKey.map { ($0.flag, CurveKeyPair.fingerprint(of: $0.key)) }
        ownFingerprint = keys?.fingerprint
    }

    /// Logs the failures reported since the last call; for a connecting socket, returns the endpoints that libzmq has
    /// given up on (a refused handshake: a key added to the server's allow list later is then admitted without
    /// restarting this role; or a connection closed on a protocol error and not retried), and those connected again.
    @discardableResult
    public mutating func check(logger: Logger) -> Changes {
        var changes = Changes()
        let now = ContinuousClock.now
        while let event = monitor.next() {
            if connects {
                switch event.kind {
                case .handshakeFailedAuth, .handshakeFailedProtocol:
                    changes.givenUp.append(event.endpoint)
                    dropped[event.endpoint] = nil
                case .disconnected: dropped[event.endpoint] = now
                case .connected:
                    dropped[event.endpoint] = nil
                    if !connectedBefore.insert(event.endpoint).inserted { changes.reconnected.append(event.endpoint) }
                case .connectDelayed, .connectRetried: dropped[event.endpoint] = nil
                default: break
                }
            }
            guard ownFingerprint != nil, let problem = diagnose(event) else { continue }
            // One limit per cause: the kind, and for failures the protocol error or ZAP status (not a disconnect's fd).
            let detail = event.kind == .disconnected ? 0 : UInt64(event.value)
            warnings[UInt64(event.kind.rawValue) << 32 | detail, default: RateLimitedWarning()].warn(logger, problem)
        }
        for (endpoint, since) in dropped where now - since >= Self.givenUpAfter {
            dropped[endpoint] = nil
            let why = "a protocol error, such as a frame over \(JobLimits.maxFrameBytes) bytes from \(peer)"
            logger.warning(
                "the connection to \(peer) at \(endpoint) was closed and libzmq is not retrying it (\(why)); connecting again")
            changes.givenUp.append(endpoint)
        }
        return changes
    }

    /// What a failure means, or `nil` for an event that is not one.
    mutating func diagnose(_ event: SocketMonitor.Event) -> String? {
        // A bound socket's events name its own endpoint, not the peer's address.
        let at = event.endpoint.isEmpty ? "" : serverKey == nil ? " connecting to \(event.endpoint)" : " at \(event.endpoint)"
        switch event.kind {
        case .connected, .accepted:
            pending.insert(event.endpoint)
            return nil
        case .connectDelayed, .connectRetried:
            return nil
        case .handshakeSucceeded:
            pending.remove(event.endpoint)
            return nil
        case .disconnected:
            // A connection closed before its handshake ended: the server dropped it without saying why (libzmq does
            // that for a client whose HELLO does not decrypt: the wrong server key).
            guard pending.remove(event.endpoint) != nil, let serverKey else { return nil }
            return "the connection to \(peer)\(at) closed during the CURVE handshake: most likely \(serverKey.flag) is not "
                + "\(peer)'s public key (this \(role) expects \(serverKey.fingerprint)), or \(peer) does not admit this "
                + "\(role)'s key \(ownFingerprint ?? "") (its --allow)"
        case .handshakeFailedAuth:
            pending.remove(event.endpoint)
            guard serverKey != nil else { return nil }  // this side's ZAP handler logs its own refusals
            return "\(peer)\(at) refused this \(role)'s key \(ownFingerprint ?? "") (status \(event.value)): add this \(role)'s "
                + "public key to \(peer)'s --allow file, then send \(peer) SIGHUP"
        case .handshakeFailedProtocol:
            pending.remove(event.endpoint)
            if event.value == SocketMonitor.ProtocolError.mechanismMismatch {
                return serverKey == nil
                    ? "refused a peer\(at) without CURVE keys: give it --keys (and the public keys of the roles it connects to)"
                    : "\(peer)\(at) does not use CURVE, and this \(role) does: give both --keys, or neither"
            }
            if event.value == SocketMonitor.ProtocolError.cryptographic {
                return serverKey.map {
                    "the CURVE handshake with \(peer)\(at) failed (a message did not decrypt): check \($0.flag) (this \(role) expects \(peer)'s key to be \($0.fingerprint))"
                }
                    ?? "a peer\(at) failed the CURVE handshake (its messages did not decrypt): it most likely has the wrong "
                    + "public key for this \(role), whose key is \(ownFingerprint ?? "")"
            }
            return "the CURVE handshake with \(peer)\(at) failed (protocol error 0x\(String(event.value, radix: 16)))"
        case .handshakeFailedNoDetail:
            pending.remove(event.endpoint)
            guard let serverKey else {
                // The peer closed first: it noticed a mismatch before this side did.
                return "a peer\(at) left during the CURVE handshake: most likely it has no keys (give it --keys and the "
                    + "public keys of the roles it connects to), or not this \(role)'s public key (\(ownFingerprint ?? ""))"
            }
            return "the CURVE handshake with \(peer)\(at) failed: most likely \(serverKey.flag) is not \(peer)'s public key "
                + "(this \(role) expects \(serverKey.fingerprint); \(peer) logs its own key's fingerprint at start)"
        }
    }
}
