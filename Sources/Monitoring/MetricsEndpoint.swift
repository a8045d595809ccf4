public import Pipeline
import PipelineCore
public import Prometheus
public import ZeroMQ

/// Serves a Prometheus registry as text over HTTP (`GET /metrics`), on a ZeroMQ STREAM socket
/// polled from the role's own loop: no thread of its own, and nothing on the role's hot path.
///
/// It speaks just enough HTTP/1.x for scrapers and `curl`: one request per connection, answered and closed.
/// Requests over 8 KiB, other methods and other paths get 431, 405 and 404. Whatever clients do, it stays
/// cheap and bounded: at most ``maxConnections`` open at once besides those opened in the last ``grace``
/// (beyond, those that sent nothing go first), each closed after ``idleTimeout`` without a complete request, work
/// per received byte that does not grow with what came before, and at most ``budget`` messages handled per call,
/// so metrics take a small, fixed share of the role's loop.
public final class MetricsEndpoint {
    /// Open connections, whether or not they have sent anything, besides those younger than ``grace``.
    public static let maxConnections = 64
    /// The largest request head accepted.
    public static let maxRequestBytes = 8192
    /// Messages (connections opened or closed, chunks of bytes) handled per ``serve(now:refresh:)`` call.
    public static let budget = 256
    /// How long a new connection is spared when connections must be closed, so its request can arrive.
    public static let grace: Duration = .milliseconds(250)

    /// The endpoint actually bound (a `*` port resolved).
    public let endpoint: String
    /// The metrics served.
    public let registry: PrometheusCollectorRegistry
    /// How long a connection may stay open without a complete request.
    public let idleTimeout: Duration
    /// Requests answered, of any status.
    public private(set) var requestsServed: UInt64 = 0
    /// Connections open now.
    public var openConnections: Int { connections.count }

    private let socket: Socket
    private struct Connection {
        let opened: ContinuousClock.Instant
        var head: [UInt8] = []
        /// Where the search for the blank line that ends the head resumes.
        var scanned = 0
    }
    /// Open connections, by routing id.
    private var connections: [[UInt8]: Connection] = [:]
    /// Connections this side closed, whose close notification may still arrive, with when they were closed.
    private var closing: [[UInt8]: ContinuousClock.Instant] = [:]

    /// Binds `endpoint` (`tcp://HOST:PORT`).
    ///
    /// - Parameters:
    ///   - role: names the role in a bind error.
    ///   - flag: the flag that set the endpoint, named in a bind error.
    ///   - idleTimeout: how long a connection may stay open without a complete request.
    public init(
        context: Context, endpoint: String, registry: PrometheusCollectorRegistry, role: String, flag: String,
        idleTimeout: Duration = .seconds(5)
    ) throws(PipelineError) {
        self.registry = registry
        self.idleTimeout = idleTimeout
        do {
            socket = try Socket(context, type: .stream)
            try socket.setOption(.linger, .milliseconds(100))
            try socket.setOption(.sendHighWaterMark, 1000)
            // A few messages per connection: a client dripping bytes fills its pipe at once, and libzmq stops
            // reading its connection until the role's loop takes them, instead of waking for every byte.
            try socket.setOption(.receiveHighWaterMark, 16)
        } catch {
            throw PipelineError(.messaging, "libzmq failed while opening the metrics socket: \(error)", underlying: error)
        }
        do {
            self.endpoint = try socket.bind(endpoint)
        } catch {
            throw PipelineError.binding(endpoint, role: role, flag: flag, error)
        }
    }

    /// Answers the requests waiting, without blocking, and closes connections idle too long; `refresh` brings
    /// the registry up to date first, and is called only when a scrape is answered.
    public func serve(now: ContinuousClock.Instant = .now, refresh: () -> Void) {
        var budget = Self.budget
        while budget > 0, let parts = try? socket.receiveMultipart(flags: .dontWait) {
            budget -= 1
            guard parts.count == 2 else { continue }  // STREAM always delivers routing id + data
            receive(parts[1], from: parts[0], now: now, refresh: refresh)
        }
        trim(now: now)
        for (peer, connection) in connections where now - connection.opened > idleTimeout {
            respond(to: peer, status: "408 Request Timeout", body: "no complete request within \(idleTimeout)\n", now: now)
        }
        for (peer, closed) in closing where now - closed > idleTimeout { closing[peer] = nil }
    }

    private func receive(_ data: [UInt8], from peer: [UInt8], now: ContinuousClock.Instant, refresh: () -> Void) {
        guard !data.isEmpty else {
            // A connection opened or closed; routing ids are never reused.
            if connections.removeValue(forKey: peer) != nil || closing.removeValue(forKey: peer) != nil { return }
            connections[peer] = Connection(opened: now)
            return
        }
        guard var connection = connections.removeValue(forKey: peer) else { return }  // closed by this side already
        connection.head += data
        guard connection.head.count <= Self.maxRequestBytes else {
            respond(
                to: peer, status: "431 Request Header Fields Too Large",
                body: "request head over \(Self.maxRequestBytes) bytes\n",
                now: now)
            return
        }
        guard let head = HTTPRequestHead(connection.head, from: &connection.scanned) else {
            connections[peer] = connection  // not complete yet
            return
        }
        switch head {
        case .invalid:
            respond(to: peer, status: "400 Bad Request", body: "not an HTTP/1.x request\n", now: now)
        case .request(let method, _) where method != "GET" && method != "HEAD":
            respond(
                to: peer, status: "405 Method Not Allowed", body: "only GET\n", extraHeaders: "Allow: GET, HEAD\r\n", now: now)
        case .request(_, let path) where path != "/metrics" && !path.hasPrefix("/metrics?"):
            respond(to: peer, status: "404 Not Found", body: "metrics are at /metrics\n", now: now)
        case .request(let method, _):
            refresh()
            respond(
                to: peer, status: "200 OK", body: registry.emitToString(), omitBody: method == "HEAD",
                contentType: "text/plain; version=0.0.4; charset=utf-8", now: now)
        }
    }

    /// Closes connections until at most ``maxConnections`` are open, among those past ``grace``: first those that
    /// have sent nothing, oldest first, then the oldest. A connection younger than ``grace`` is never closed for
    /// room, so a scraper, whose request may arrive a loop after its connection, is answered even among
    /// connections that hold their place open or drip bytes; an attacker gains at most what it opens in ``grace``.
    private func trim(now: ContinuousClock.Instant) {
        let excess = connections.count - Self.maxConnections
        guard excess > 0 else { return }
        let victims = connections.filter { now - $0.value.opened >= Self.grace }.sorted { a, b in
            if a.value.head.isEmpty != b.value.head.isEmpty { return a.value.head.isEmpty }
            return a.value.opened < b.value.opened
        }.prefix(excess)
        for victim in victims { close(victim.key, now: now) }
    }

    private func respond(
        to peer: [UInt8], status: String, body: String, omitBody: Bool = false,
        contentType: String = "text/plain; charset=utf-8", extraHeaders: String = "", now: ContinuousClock.Instant
    ) {
        let bodyBytes = Array(body.utf8)
        let head =
            "HTTP/1.1 \(status)\r\nContent-Type: \(contentType)\r\nContent-Length: \(bodyBytes.count)\r\n"
            + extraHeaders + "Connection: close\r\n\r\n"
        // STREAM drops what it cannot queue; a scraper that misses one answer asks again.
        _ = try? socket.send(parts: [peer, Array(head.utf8) + (omitBody ? [] : bodyBytes)], flags: .dontWait)
        requestsServed += 1
        close(peer, now: now)
    }

    private func close(_ peer: [UInt8], now: ContinuousClock.Instant) {
        connections[peer] = nil
        closing[peer] = now
        _ = try? socket.send(parts: [peer, []], flags: .dontWait)
    }
}

/// The request line of an HTTP/1.x request head, once the head is complete.
enum HTTPRequestHead: Equatable {
    case request(method: String, path: String)
    case invalid

    /// `nil` while the head (up to the blank line) is incomplete. `scanned` is where the search for the blank
    /// line resumes: called again as bytes arrive, it looks at each byte a bounded number of times.
    init?(_ bytes: [UInt8], from scanned: inout Int) {
        let end: [UInt8] = Array("\r\n\r\n".utf8)
        guard bytes.count >= end.count else { return nil }
        let start = max(0, min(scanned, bytes.count - end.count))
        guard let headEnd = (start...(bytes.count - end.count)).first(where: { bytes[$0..<$0 + end.count].elementsEqual(end) })
        else {
            scanned = bytes.count - end.count + 1
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

    /// The head of a request received whole.
    init?(_ bytes: [UInt8]) {
        var scanned = 0
        self.init(bytes, from: &scanned)
    }
}
