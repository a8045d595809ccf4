public import ZeroMQ

/// Sends one HTTP/1.0 request over a ZeroMQ STREAM socket (raw TCP), as a Prometheus scraper would, and returns
/// the whole response (head and body) once the server closes the connection.
public func httpRequest(_ endpoint: String, path: String, method: String = "GET", rawRequest: String? = nil) throws -> String {
    let context = try Context()
    let socket = try Socket(context, type: .stream)
    try socket.setOption(.receiveTimeout, .seconds(5))
    try socket.setOption(.linger, .zero)
    try socket.connect(endpoint)
    // STREAM reports the connection with an empty frame that carries the peer's routing id.
    guard let connected = try socket.receiveMultipart(), connected.count == 2 else {
        throw TimedOut(what: "a connection to \(endpoint)", after: .seconds(5))
    }
    let request = rawRequest ?? "\(method) \(path) HTTP/1.0\r\nHost: test\r\n\r\n"
    try socket.send(parts: [connected[0], Array(request.utf8)])
    var response: [UInt8] = []
    while let parts = try socket.receiveMultipart(), parts.count == 2, !parts[1].isEmpty {
        response += parts[1]
    }
    return String(decoding: response, as: UTF8.self)
}
