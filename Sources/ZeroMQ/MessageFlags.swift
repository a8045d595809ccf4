internal import CZMQ

/// Flags for sending and receiving.
public struct MessageFlags: OptionSet, Hashable, Sendable {
    public let rawValue: Int32

    public init(rawValue: Int32) {
        self.rawValue = rawValue
    }

    /// Return ``ZMQError/again`` (or `false`/`nil`) instead of blocking.
    public static var dontWait: MessageFlags { MessageFlags(rawValue: ZMQ_DONTWAIT) }
    /// More frames of the same message follow this one.
    public static var sendMore: MessageFlags { MessageFlags(rawValue: ZMQ_SNDMORE) }
}
