import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Plain TCP connections to 127.0.0.1 that an attacker would open: idle, dripping, or never greeting.
/// Each is closed when the value is released.
public final class RawConnections: @unchecked Sendable {
    public private(set) var descriptors: [Int32] = []

    public init() {}

    deinit {
        for fd in descriptors { close(fd) }
    }

    /// Opens `count` connections to `endpoint` (`tcp://127.0.0.1:PORT`) without waiting for them to be accepted,
    /// and sends nothing; returns how many were started.
    @discardableResult
    public func open(_ count: Int, to endpoint: String) -> Int {
        guard let port = endpoint.split(separator: ":").last.flatMap({ UInt16($0) }) else { return 0 }
        var opened = 0
        for _ in 0..<count {
            // Non-blocking: past the server's listen backlog a connect would wait for the server to accept.
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
            guard fd >= 0 else { break }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let status = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard status == 0 || errno == EINPROGRESS else {
                close(fd)
                continue
            }
            descriptors.append(fd)
            opened += 1
        }
        return opened
    }

    /// Sends `bytes` on every open connection (errors ignored: the server may have closed some).
    public func send(_ bytes: [UInt8]) {
        for fd in descriptors { _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } }
    }

    /// How many of the connections the server has closed (a read returns end of file), without blocking.
    public func closedByServer() -> Int {
        var closed = 0
        var buffer = [UInt8](repeating: 0, count: 4096)
        for fd in descriptors {
            var result: Int
            repeat {
                result = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            } while result > 0
            if result == 0 || (result < 0 && errno != EAGAIN && errno != EWOULDBLOCK) { closed += 1 }
        }
        return closed
    }
}

/// How many file descriptors process `pid` holds now (entries of /proc/PID/fd).
public func openDescriptors(of pid: Int32) -> Int {
    (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count) ?? 0
}
