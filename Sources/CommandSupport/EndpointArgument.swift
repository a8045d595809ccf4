/// Checks a ZeroMQ endpoint typed by a user, so a typo is a usage error naming the flag, not a libzmq errno.
public enum EndpointArgument {
    /// Whether the endpoint will be bound (which allows a `*` port) or connected to.
    public enum Use: Sendable {
        case bind
        case connect
    }

    /// Returns a description of what is wrong with `endpoint`, or `nil` when it is well formed.
    public static func problem(with endpoint: String, for use: Use) -> String? {
        if endpoint.hasPrefix("tcp://") {
            let address = endpoint.dropFirst("tcp://".count)
            guard let colon = address.lastIndex(of: ":") else {
                return "'\(endpoint)' has no port; write tcp://HOST:PORT"
            }
            let host = address[..<colon]
            let port = address[address.index(after: colon)...]
            if host.isEmpty { return "'\(endpoint)' has no host; write tcp://HOST:PORT, e.g. tcp://127.0.0.1:5557" }
            if port == "*" {
                return use == .bind ? nil : "'\(endpoint)': a '*' port can only be bound; connect to a real port"
            }
            guard let number = Int(port), (1...65_535).contains(number) else {
                return "'\(endpoint)': port '\(port)' is not a number from 1 to 65535"
            }
            if host == "*" && use == .connect { return "'\(endpoint)': cannot connect to '*'; name a host" }
            return nil
        }
        if endpoint.hasPrefix("ipc://") {
            return endpoint.count > "ipc://".count ? nil : "'\(endpoint)' has no path; write ipc:///path/to/socket"
        }
        if endpoint.hasPrefix("inproc://") {
            return "'\(endpoint)': inproc:// only works inside one process; use tcp:// or ipc:// between programs"
        }
        return "'\(endpoint)' is not a ZeroMQ endpoint; write tcp://HOST:PORT or ipc:///path"
    }
}
