import Synchronization

/// A request to stop, settable from any thread (or a signal handler) and polled by a role's loop.
public final class StopFlag: Sendable {
    private let requested = Atomic<Bool>(false)

    public init() {}

    /// Asks the role to stop at its next check (at most about 100 ms later).
    public func request() {
        requested.store(true, ordering: .relaxed)
    }

    /// Whether a stop has been requested.
    public var isRequested: Bool {
        requested.load(ordering: .relaxed)
    }
}
