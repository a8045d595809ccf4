import PipelineCore
package import ZeroMQ

/// Why a role could not start or finish, worded to say what to do next.
public struct PipelineError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of failure, open to new values.
    public struct Code: RawRepresentable, Hashable, Sendable {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        /// A socket could not bind its endpoint.
        public static let bind = Code(rawValue: "bind")
        /// A socket could not connect to its endpoint.
        public static let connect = Code(rawValue: "connect")
        /// The sink never answered the job announcement.
        public static let sinkUnreachable = Code(rawValue: "sink unreachable")
        /// The job made no progress for the configured timeout.
        public static let noProgress = Code(rawValue: "no progress")
        /// A stop was requested (signal or caller) before the job finished.
        public static let stopped = Code(rawValue: "stopped")
        /// The sink's journal could not be opened or written.
        public static let journal = Code(rawValue: "journal")
        /// An unexpected libzmq failure.
        public static let messaging = Code(rawValue: "messaging")
        /// A kernel the worker was configured with cannot run (a command that cannot start, a name given twice).
        public static let kernel = Code(rawValue: "kernel")
    }

    public let code: Code
    public let message: String
    /// The libzmq error underneath, when there is one: for this package's roles, so clients of `PipelineError`
    /// need not import ZeroMQ.
    package let underlying: ZMQError?

    public init(_ code: Code, _ message: String) {
        self.init(code, message, underlying: nil)
    }

    package init(_ code: Code, _ message: String, underlying: ZMQError?) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    public var description: String { message }

    /// A bind failure, with a hint that names the flag to change.
    package static func binding(_ endpoint: String, role: String, flag: String, _ error: ZMQError) -> PipelineError {
        let hint =
            switch error {
            case .addressInUse: "is another \(role) running? choose another port with \(flag)"
            case .invalidArgument, .protocolNotSupported: "check the endpoint's form, e.g. tcp://127.0.0.1:5557"
            case .addressNotAvailable, .noDevice: "bind an address of this host, e.g. tcp://127.0.0.1:PORT"
            default: "check \(flag)"
            }
        return PipelineError(.bind, "\(role) cannot bind \(endpoint) (\(flag)): \(error); \(hint)", underlying: error)
    }

    package static func connecting(_ endpoint: String, role: String, flag: String, _ error: ZMQError) -> PipelineError {
        PipelineError(
            .connect,
            "\(role) cannot connect to \(endpoint) (\(flag)): \(error); check the endpoint's form, e.g. tcp://HOST:PORT",
            underlying: error)
    }

    package static func messaging(_ error: ZMQError, while doing: String) -> PipelineError {
        PipelineError(.messaging, "libzmq failed while \(doing): \(error)", underlying: error)
    }
}
