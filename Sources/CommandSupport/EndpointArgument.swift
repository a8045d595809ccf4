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

    /// Returns what is wrong with an endpoint to serve HTTP on (bound, tcp only), or `nil` when it is well formed.
    public static func problem(withHTTP endpoint: String) -> String? {
        guard endpoint.hasPrefix("tcp://") else {
            return "'\(endpoint)': metrics are served over HTTP, so write tcp://HOST:PORT, e.g. tcp://127.0.0.1:9100"
        }
        return problem(with: endpoint, for: .bind)
    }

    /// Whether a bound endpoint is reachable only from this host (loopback tcp, or ipc).
    public static func isLocal(_ endpoint: String) -> Bool {
        if endpoint.hasPrefix("ipc://") { return true }
        guard endpoint.hasPrefix("tcp://"), let colon = endpoint.lastIndex(of: ":") else { return false }
        let host = endpoint[endpoint.index(endpoint.startIndex, offsetBy: 6)..<colon]
        return host == "localhost" || host.hasPrefix("127.") || host == "[::1]" || host == "::1"
    }

    /// A usage error for binding a non-local endpoint in plaintext, or `nil` when that is not the case.
    public static func plaintextProblem(flag: String, endpoint: String, secured: Bool, insecure: Bool) -> String? {
        guard !secured, !insecure, !isLocal(endpoint) else { return nil }
        return "\(flag) \(endpoint) is reachable from other hosts, and without keys anyone there could read tasks and "
            + "forge results: give --keys and --allow (make keys with `keygen`), or --insecure on a trusted network"
    }
}
