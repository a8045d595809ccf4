internal import CZMQ

extension Socket {
    /// Sets an integer option. The corresponding C function is `zmq_setsockopt`.
    public func setOption(_ option: SocketOption<Int32>, _ value: Int32) throws(ZMQError) {
        try setRaw(option.name, value)
    }

    /// Sets a 64-bit integer option.
    public func setOption(_ option: SocketOption<Int64>, _ value: Int64) throws(ZMQError) {
        try setRaw(option.name, value)
    }

    /// Sets a boolean option.
    public func setOption(_ option: SocketOption<Bool>, _ value: Bool) throws(ZMQError) {
        try setRaw(option.name, Int32(value ? 1 : 0))
    }

    /// Sets a time option; `nil` means no limit.
    public func setOption(_ option: SocketOption<Duration?>, _ value: Duration?) throws(ZMQError) {
        try setRaw(option.name, value?.milliseconds ?? -1)
    }

    /// Sets a byte-string option.
    public func setOption(_ option: SocketOption<[UInt8]>, _ value: [UInt8]) throws(ZMQError) {
        let handle = openHandle
        _ = try value.withUnsafeBytes { bytes in
            Result { () throws(ZMQError) in
                try valueOrError { zmq_setsockopt(handle, option.name, bytes.baseAddress, bytes.count) }
            }
        }.get()
    }

    /// Sets a text option (keys as Z85 text, the ZAP domain).
    public func setOption(_ option: SocketOption<String>, _ value: String) throws(ZMQError) {
        try setOption(SocketOption<[UInt8]>(option.name), Array(value.utf8))
    }

    /// Reads a string option such as ``SocketOption/lastEndpoint``.
    public func option(_ option: SocketOption<String>) throws(ZMQError) -> String {
        let handle = openHandle
        var buffer = [CChar](repeating: 0, count: 1024)
        var size = buffer.count
        _ = try buffer.withUnsafeMutableBytes { bytes in
            Result { () throws(ZMQError) in
                try valueOrError { zmq_getsockopt(handle, option.name, bytes.baseAddress, &size) }
            }
        }.get()
        return String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Reads an integer option.
    public func option(_ option: SocketOption<Int32>) throws(ZMQError) -> Int32 {
        try getRaw(option.name)
    }

    /// What the socket could do now without blocking (`ZMQ_EVENTS`): receive, send. A socket with `immediate` set can
    /// send only while a peer is connected (and has room).
    public func events() throws(ZMQError) -> PollEvents {
        PollEvents(rawValue: Int16(truncatingIfNeeded: try getRaw(ZMQ_EVENTS) as Int32))
    }

    /// Whether the last frame received has more frames after it (`ZMQ_RCVMORE`).
    func option(_ option: ReadOnlyFlag) throws(ZMQError) -> Bool {
        try getRaw(option.name) as Int32 != 0
    }

    private func setRaw<T: FixedWidthInteger>(_ name: Int32, _ value: T) throws(ZMQError) {
        let handle = openHandle
        var value = value
        _ = try valueOrError { zmq_setsockopt(handle, name, &value, MemoryLayout<T>.size) }
    }

    private func getRaw<T: FixedWidthInteger>(_ name: Int32) throws(ZMQError) -> T {
        let handle = openHandle
        var value: T = 0
        var size = MemoryLayout<T>.size
        _ = try valueOrError { zmq_getsockopt(handle, name, &value, &size) }
        return value
    }
}

struct ReadOnlyFlag {
    let name: Int32
    static var receiveMore: ReadOnlyFlag { ReadOnlyFlag(name: ZMQ_RCVMORE) }
}
