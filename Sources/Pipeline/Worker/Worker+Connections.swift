import ZeroMQ

/// Connections libzmq gives up on: a worker makes them again.
extension Worker {
    /// How long a connection libzmq gave up on waits before it is made again.
    static let refusedRetry: Duration = .seconds(2)

    /// Logs failed handshakes, and connects again where libzmq gave up: a server refused this worker's key (it may be
    /// allow-listed later, with SIGHUP, and the worker then joins without a restart), or closed the connection on a
    /// protocol error.
    /// - Returns: the indices (in ``handshakes``) of the sockets connected again since the last call: a ventilator
    ///   there may be a new process (the next job's), which learns of this worker only from its next credit.
    func checkHandshakes() -> [Int] {
        let now = ContinuousClock.now
        var reconnected: [Int] = []
        for index in handshakes.indices {
            let changes = handshakes[index].check(logger: logger)
            if !changes.reconnected.isEmpty { reconnected.append(index) }
            if !changes.givenUp.isEmpty && reconnectAt[index] == nil { reconnectAt[index] = now + Self.refusedRetry }
        }
        for (index, due) in reconnectAt where due <= now {
            reconnectAt[index] = nil
            let (socket, endpoint) = watched[index]
            do {
                try socket.disconnect(endpoint)
                try socket.connect(endpoint)
                logger.info("connecting to \(endpoint) again")
            } catch {
                logger.warning("could not connect to \(endpoint) again: \(error)")
            }
        }
        return reconnected
    }
}
