import Synchronization

/// A request raised from any thread (or a signal handler, such as SIGHUP's) and taken once by a role's loop.
public final class SignalFlag: Sendable {
    private let raised = Atomic<Bool>(false)

    public init() {}

    /// Raises the flag; safe in a signal handler.
    public func raise() {
        raised.store(true, ordering: .relaxed)
    }

    /// Whether the flag was raised since the last call; lowers it.
    public func take() -> Bool {
        raised.exchange(false, ordering: .relaxed)
    }
}
