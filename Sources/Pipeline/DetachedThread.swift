import PipelineCore

#if canImport(Glibc)
    import Glibc
#endif

/// Runs `body` on a new detached POSIX thread: for blocking libzmq loops that must not occupy
/// Swift's cooperative pool, without Foundation's `Thread`.
public func startDetachedThread(_ body: @escaping @Sendable () -> Void) {
    final class Box: @unchecked Sendable {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }
    let box = Unmanaged.passRetained(Box(body)).toOpaque()
    var thread = pthread_t()
    let status = pthread_create(
        &thread, nil,
        { argument in
            let box = Unmanaged<Box>.fromOpaque(argument!).takeRetainedValue()
            box.body()
            return nil
        }, box)
    precondition(status == 0, "pthread_create failed with \(status)")
    pthread_detach(thread)
}
