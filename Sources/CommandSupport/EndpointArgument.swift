/// Checks a ZeroMQ endpoint typed by a user by parsing it, so a typo is a usage error naming the flag, not a libzmq
/// errno, and nothing but the one address named is ever bound: libzmq's other forms (`tcp://SOURCE;HOST:PORT`,
/// several addresses) are refused, not passed through.
public enum EndpointArgument {
    /// Whether the endpoint will be bound (which allows a `*` port) or connected to.
    public enum Use: Sendable {
        case bind
        case connect
    }

    /// An endpoint, parsed.
    enum Parsed: Equatable {
        case tcp(host: Host, port: Int?)  // port nil: `*`, any free port
        case ipc(path: String)
        case inproc

        enum Host: Equatable {
            case ipv4(UInt8, UInt8, UInt8, UInt8)
            case ipv6(String)
            case name(String)
            case any
        }

        var isLoopback: Bool {
            switch self {
            case .ipc: true
            case .inproc: true
            case .tcp(.ipv4(127, _, _, _), _): true
            case .tcp(.ipv6(let address), _): address == "::1"
            case .tcp(.name(let name), _): name == "localhost"
            case .tcp: false
            }
        }
    }

    /// Returns a description of what is wrong with `endpoint`, or `nil` when it is well formed.
    public static func problem(with endpoint: String, for use: Use) -> String? {
        switch parse(endpoint, for: use) {
        case .success(.inproc):
            "'\(endpoint)': inproc:// only works inside one process; use tcp:// or ipc:// between programs"
        case .success: nil
        case .failure(let problem): problem.description
        }
    }

    /// Returns what is wrong with an endpoint to serve HTTP on (bound, tcp only), or `nil` when it is well formed.
    public static func problem(withHTTP endpoint: String) -> String? {
        guard endpoint.hasPrefix("tcp://") else {
            return "'\(endpoint)': metrics are served over HTTP, so write tcp://HOST:PORT, e.g. tcp://127.0.0.1:9100"
        }
        return problem(with: endpoint, for: .bind)
    }

    /// Whether a bound endpoint is reachable only from this host (loopback tcp, or ipc); `false` when it does not parse.
    public static func isLocal(_ endpoint: String) -> Bool {
        (try? parse(endpoint, for: .bind).get())?.isLoopback ?? false
    }

    /// A usage error for binding a non-local endpoint in plaintext, or `nil` when that is not the case.
    public static func plaintextProblem(flag: String, endpoint: String, secured: Bool, insecure: Bool) -> String? {
        guard !secured, !insecure, !isLocal(endpoint) else { return nil }
        return "\(flag) \(endpoint) is reachable from other hosts, and without keys anyone there could read tasks and "
            + "forge results: give --keys and --allow (make keys with `keygen`), or --insecure on a trusted network"
    }

    struct Problem: Error, CustomStringConvertible {
        let description: String
    }

    /// Parses one `tcp://HOST:PORT`, `ipc://PATH` or `inproc://NAME`, and nothing else.
    static func parse(_ endpoint: String, for use: Use) -> Result<Parsed, Problem> {
        let shown = quoted(endpoint)
        if let rest = endpoint.dropPrefix("tcp://") {
            guard let colon = rest.lastIndex(of: ":") else {
                return .failure(Problem(description: "\(shown) has no port; write tcp://HOST:PORT"))
            }
            let hostText = rest[..<colon]
            let portText = rest[rest.index(after: colon)...]
            if hostText.isEmpty {
                return .failure(Problem(description: "\(shown) has no host; write tcp://HOST:PORT, e.g. tcp://127.0.0.1:5557"))
            }
            guard let host = Parsed.Host(hostText) else {
                return .failure(
                    Problem(
                        description:
                            "\(shown): \(quoted(String(hostText))) is not one host (an IPv4 address, [IPv6], a host or interface "
                            + "name, or * to bind every interface); write a single tcp://HOST:PORT"))
            }
            let port: Int?
            if portText == "*" {
                guard use == .bind else {
                    return .failure(Problem(description: "\(shown): a '*' port can only be bound; connect to a real port"))
                }
                port = nil
            } else {
                guard portText.allSatisfy(\.isASCIIDigit), portText.count <= 5, let number = Int(portText),
                    (1...65_535).contains(number)
                else {
                    return .failure(
                        Problem(description: "\(shown): port \(quoted(String(portText))) is not a number from 1 to 65535"))
                }
                port = number
            }
            if host == .any && use == .connect {
                return .failure(Problem(description: "\(shown): cannot connect to '*'; name a host"))
            }
            return .success(.tcp(host: host, port: port))
        }
        if let path = endpoint.dropPrefix("ipc://") {
            guard !path.isEmpty else {
                return .failure(Problem(description: "\(shown) has no path; write ipc:///path/to/socket"))
            }
            guard !path.contains(";"), !path.contains("\0") else {
                return .failure(Problem(description: "\(shown): a path with ';' is not a single ipc:// endpoint"))
            }
            return .success(.ipc(path: String(path)))
        }
        if let name = endpoint.dropPrefix("inproc://"), !name.isEmpty {
            return .success(.inproc)
        }
        return .failure(Problem(description: "\(shown) is not a ZeroMQ endpoint; write tcp://HOST:PORT or ipc:///path"))
    }

    /// At most 80 characters of `text`, with anything unprintable escaped, between quotes.
    static func quoted(_ text: String) -> String {
        let escaped = text.unicodeScalars.prefix(80).map {
            $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F ? String($0) : $0.escaped(asASCII: true)
        }
        return "'" + escaped.joined() + (text.unicodeScalars.count > 80 ? "…" : "") + "'"
    }
}

extension EndpointArgument.Parsed.Host {
    /// One host as libzmq's tcp transport names it, or `nil` for anything else (several hosts, a source address).
    init?(_ text: Substring) {
        if text == "*" {
            self = .any
        } else if text.first == "[" {
            guard text.last == "]", text.count > 2 else { return nil }
            let inner = text.dropFirst().dropLast()
            guard inner.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }), inner.contains(":") else { return nil }
            self = .ipv6(String(inner))
        } else if text.allSatisfy({ $0.isASCIIDigit || $0 == "." }) {
            let parts = text.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 4 else { return nil }
            let octets = parts.compactMap { $0.count <= 3 ? UInt8($0) : nil }
            guard octets.count == 4 else { return nil }
            self = .ipv4(octets[0], octets[1], octets[2], octets[3])
        } else {
            // A host or interface name: letters, digits, '-', '_' and '.', as DNS and Linux name them.
            guard text.count <= 253,
                text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "." || $0 == "_") }),
                text.first != "-", text.first != "."
            else { return nil }
            self = .name(String(text))
        }
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}

extension String {
    fileprivate func dropPrefix(_ prefix: String) -> Substring? {
        hasPrefix(prefix) ? dropFirst(prefix.count) : nil
    }
}
