import PipelineCore
public import ZeroMQ

/// CurveZMQ settings of one role: its own key pair, who it admits, and whose servers it trusts.
///
/// With security on, every socket is encrypted and authenticated: the ventilator's task socket and the sink's
/// sockets are CURVE servers that admit only the public keys in ``allowList``; every connecting socket is
/// a CURVE client that checks the server's public key.
public struct CurveSecurity: Sendable {
    /// This role's key pair.
    public var keys: CurveKeyPair
    /// Public keys (Z85) admitted by this role's bound sockets: workers (and, at the sink, ventilators); reloadable.
    public var allowList: AllowList
    /// The sink's public key, for roles that connect to the sink.
    public var sinkPublicKey: String?
    /// The ventilator's public key, for workers.
    public var ventilatorPublicKey: String?

    public init(
        keys: CurveKeyPair, allowList: AllowList = AllowList([]), sinkPublicKey: String? = nil, ventilatorPublicKey: String? = nil
    ) {
        self.keys = keys
        self.allowList = allowList
        self.sinkPublicKey = sinkPublicKey
        self.ventilatorPublicKey = ventilatorPublicKey
    }

    static let domain = "scattergather"
}

extension Socket {
    /// Makes this socket a CURVE server whose clients the context's ZAP handler vets. Call before binding.
    func secureAsServer(_ security: CurveSecurity?) throws(ZMQError) {
        guard let security else { return }
        try setOption(.curveServer, true)
        try setOption(.curveSecretKey, security.keys.secretKey)
        try setOption(.curvePublicKey, security.keys.publicKey)
        try setOption(.zapDomain, CurveSecurity.domain)
    }

    /// Makes this socket a CURVE client of the server with `serverKey`. Call before connecting.
    func secureAsClient(_ security: CurveSecurity?, serverKey: String?) throws(ZMQError) {
        guard let security, let serverKey else { return }
        try setOption(.curveServerKey, serverKey)
        try setOption(.curvePublicKey, security.keys.publicKey)
        try setOption(.curveSecretKey, security.keys.secretKey)
    }
}
