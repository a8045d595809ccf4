internal import CZMQ

/// The kind of a ZeroMQ socket, which fixes its messaging pattern.
public struct SocketType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int32

    public init(rawValue: Int32) {
        self.rawValue = rawValue
    }

    /// Sends to connected peers in round-robin order; never receives.
    public static var push: SocketType { SocketType(rawValue: ZMQ_PUSH) }
    /// Receives from connected peers with fair queueing; never sends.
    public static var pull: SocketType { SocketType(rawValue: ZMQ_PULL) }
    /// Publishes to every subscriber; drops when a subscriber's queue is full.
    public static var pub: SocketType { SocketType(rawValue: ZMQ_PUB) }
    /// Receives messages whose prefix matches a subscription.
    public static var sub: SocketType { SocketType(rawValue: ZMQ_SUB) }
    /// Bidirectional, load-balancing and fair-queueing.
    public static var dealer: SocketType { SocketType(rawValue: ZMQ_DEALER) }
    /// Bidirectional, addressing each peer by its routing id.
    public static var router: SocketType { SocketType(rawValue: ZMQ_ROUTER) }
    /// Replies to requests in turn (used for the ZAP authentication handler).
    public static var rep: SocketType { SocketType(rawValue: ZMQ_REP) }
    /// Sends requests and awaits each reply.
    public static var req: SocketType { SocketType(rawValue: ZMQ_REQ) }
    /// Raw TCP: each message is a peer's routing id then bytes; an empty frame marks a connection opened or closed,
    /// and sending one closes it. Lets a role speak a plain protocol such as HTTP.
    public static var stream: SocketType { SocketType(rawValue: ZMQ_STREAM) }
    /// Exclusive pair.
    public static var pair: SocketType { SocketType(rawValue: ZMQ_PAIR) }

    public var description: String {
        switch self {
        case .push: "PUSH"
        case .pull: "PULL"
        case .pub: "PUB"
        case .sub: "SUB"
        case .dealer: "DEALER"
        case .router: "ROUTER"
        case .pair: "PAIR"
        case .stream: "STREAM"
        case .rep: "REP"
        case .req: "REQ"
        default: "socket type \(rawValue)"
        }
    }
}
