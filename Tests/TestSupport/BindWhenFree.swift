public import ZeroMQ

extension Socket {
    /// Binds to `endpoint` once a socket closed there lets go of it: libzmq closes a listener in its I/O thread, after
    /// the socket is gone, which on a loaded machine may not have run yet. Throws the bind's error after `limit`.
    public func bindWhenFree(_ endpoint: String, within limit: Duration = .seconds(20)) async throws {
        let deadline = ContinuousClock.now + limit
        while true {
            do {
                _ = try bind(endpoint)
                return
            } catch {
                guard error == .addressInUse && ContinuousClock.now < deadline else { throw error }
                try await Task.sleep(for: .milliseconds(20))
            }
        }
    }
}
