public import Pipeline
import PipelineCore
public import Prometheus
public import ZeroMQ

/// Serves a Prometheus registry as text over HTTP (`GET /metrics`), on a ZeroMQ STREAM socket
/// polled from the role's own loop: no thread of its own, and nothing on the role's hot path.
///
/// It speaks just enough HTTP/1.x for scrapers and `curl`: one request per connection, answered and closed.
/// Requests over 8 KiB, other methods and other paths get 431, 405 and 404.
public final class MetricsEndpoint {
    /// Connections with a request half received; more are refused.
    public static let maxConnections = 64
    /// The largest request head accepted.
    public static let maxRequestBytes = 8192

    /// The endpoint actually bound (a `*` port resolved).
    public let endpoint: String
    /// The metrics served.
    public let registry: PrometheusCollectorRegistry
    /// Requests answered, of any status.
    public private(set) var requestsServed: UInt64 = 0

    private let socket: Socket
    /// Bytes received so far from each open connection, by routing id.
    private var pending: [[UInt8]: [UInt8]] = [:]

    /// Binds `endpoint` (`tcp://HOST:PORT`).
    ///
    /// - Parameters:
    ///   - role: names the role in a bind error.
    ///   - flag: the flag that set the endpoint, named in a bind error.
    public init(context: Context, endpoint: String, registry: PrometheusCollectorRegistry, role: String, flag: String)
        throws(PipelineError)
    {
        self.registry = registry
        do {
            socket = try Socket(context, type: .stream)
            try socket.setOption(.linger, .milliseconds(100))
            try socket.setOption(.sendHighWaterMark, 1000)
        } catch {
            throw PipelineError(.messaging, "libzmq failed while opening the metrics socket: \(error)", underlying: error)
        }
        do {
            self.endpoint = try socket.bind(endpoint)
        } catch {
            throw PipelineError.binding(endpoint, role: role, flag: flag, error)
        }
    }

    /// Answers every request waiting, without blocking; `refresh` brings the registry up to date first,
    /// and is called only when a scrape is answered.
    public func serve(refresh: () -> Void) {
        while let parts = try? socket.receiveMultipart(flags: .dontWait) {
            guard parts.count == 2 else { continue }  // STREAM always delivers routing id + data
            let (peer, data) = (parts[0], parts[1])
            if data.isEmpty {
                // A connection opened or closed (ids are never reused); only those that sent bytes are tracked.
                pending[peer] = nil
                continue
            }
            if pending[peer] == nil && pending.count >= Self.maxConnections {
                close(peer)
                continue
            }
            var request = pending[peer, default: []]
            request += data
            if request.count > Self.maxRequestBytes {
                respond(
                    to: peer, status: "431 Request Header Fields Too Large",
                    body: "request head over \(Self.maxRequestBytes) bytes\n")
                continue
            }
            guard let head = HTTPRequestHead(request) else {
                pending[peer] = request  // not complete yet
                continue
            }
            switch head {
            case .invalid:
                respond(to: peer, status: "400 Bad Request", body: "not an HTTP/1.x request\n")
            case .request(let method, let path):
                guard method == "GET" || method == "HEAD" else {
                    respond(to: peer, status: "405 Method Not Allowed", body: "only GET\n", extraHeaders: "Allow: GET, HEAD\r\n")
                    continue
                }
                guard path == "/metrics" || path.hasPrefix("/metrics?") else {
                    respond(to: peer, status: "404 Not Found", body: "metrics are at /metrics\n")
                    continue
                }
                refresh()
                respond(
                    to: peer, status: "200 OK", body: registry.emitToString(), omitBody: method == "HEAD",
                    contentType: "text/plain; version=0.0.4; charset=utf-8")
            }
        }
    }

    private func respond(
        to peer: [UInt8], status: String, body: String, omitBody: Bool = false,
        contentType: String = "text/plain; charset=utf-8", extraHeaders: String = ""
    ) {
        let bodyBytes = Array(body.utf8)
        let head =
            "HTTP/1.1 \(status)\r\nContent-Type: \(contentType)\r\nContent-Length: \(bodyBytes.count)\r\n"
            + extraHeaders + "Connection: close\r\n\r\n"
        // STREAM drops what it cannot queue; a scraper that misses one answer asks again.
        _ = try? socket.send(parts: [peer, Array(head.utf8) + (omitBody ? [] : bodyBytes)], flags: .dontWait)
        requestsServed += 1
        close(peer)
    }

    private func close(_ peer: [UInt8]) {
        pending[peer] = nil
        _ = try? socket.send(parts: [peer, []], flags: .dontWait)
    }
}

/// The request line of an HTTP/1.x request head, once the head is complete.
enum HTTPRequestHead: Equatable {
    case request(method: String, path: String)
    case invalid

    /// `nil` while the head (up to the blank line) is incomplete.
    init?(_ bytes: [UInt8]) {
        let end: [UInt8] = Array("\r\n\r\n".utf8)
        guard bytes.count >= end.count,
            let headEnd = (0...(bytes.count - end.count)).first(where: { bytes[$0..<$0 + end.count].elementsEqual(end) })
        else {
            return nil
        }
        let line = String(decoding: bytes[..<headEnd].prefix { $0 != UInt8(ascii: "\r") }, as: UTF8.self)
        let words = line.split(separator: " ", omittingEmptySubsequences: false)
        guard words.count == 3, words[2].hasPrefix("HTTP/1."), !words[0].isEmpty, words[1].hasPrefix("/") else {
            self = .invalid
            return
        }
        self = .request(method: String(words[0]), path: String(words[1]))
    }
}
