public import Logging
public import PipelineCore
import Synchronization
import ZeroMQ

/// The public keys a role admits, replaceable while it runs: read by the ZAP handler's thread at each handshake,
/// and by the role's loop for each message (a key taken off the list is refused from then on, not only at the next
/// handshake).
///
/// SIGHUP raises the process's reload flag; the role's loop calls ``reloadIfRequested(logger:)``, which then reads
/// the file again with the list's loader. A file that cannot be read or is
/// malformed is rejected whole, with an error, and the old list stays in force.
public final class AllowList: Sendable {
    private let keys: Mutex<Set<String>>
    /// Raised to ask for a reload (by SIGHUP).
    private let reload: SignalFlag?
    /// Reads the list again from where it came from; `nil` when it cannot be reloaded.
    private let load: (@Sendable () throws -> Set<String>)?
    /// Bumped at each change, so a loop can cache a check until the list changes.
    private let version = Atomic<UInt64>(0)

    public init(_ keys: Set<String>, reload: SignalFlag? = nil, load: (@Sendable () throws -> Set<String>)? = nil) {
        self.keys = Mutex(keys)
        self.reload = reload
        self.load = load
    }

    /// Whether `key` (Z85) is on the list.
    public func contains(_ key: String) -> Bool {
        keys.withLock { $0.contains(key) }
    }

    /// The list's version: it changes whenever the keys do.
    public var currentVersion: UInt64 { version.load(ordering: .acquiring) }

    /// Replaces the keys.
    public func replace(with newKeys: Set<String>) {
        keys.withLock { $0 = newKeys }
        version.add(1, ordering: .releasing)
    }

    /// Reloads the list if a reload was asked for; logs what changed, or why the old list stays. Returns whether the
    /// list was replaced.
    @discardableResult
    public func reloadIfRequested(logger: Logger) -> Bool {
        guard let reload, reload.take() else { return false }
        guard let load else {
            logger.warning("SIGHUP: this role has no allow list to reload")
            return false
        }
        let fresh: Set<String>
        do {
            fresh = try load()
        } catch {
            logger.error("SIGHUP: the allow list was not reloaded, the old one stays in force: \(error)")
            return false
        }
        let old = keys.withLock { $0 }
        replace(with: fresh)
        let removed = old.subtracting(fresh).map(CurveKeyPair.fingerprint(of:)).sorted()
        let added = fresh.subtracting(old).map(CurveKeyPair.fingerprint(of:)).sorted()
        let addedText = added.isEmpty ? "none" : added.joined(separator: ", ")
        let revokedText = removed.isEmpty ? "none" : removed.joined(separator: ", ")
        logger.notice("SIGHUP: allow list reloaded, \(fresh.count) key(s); added \(addedText); revoked \(revokedText)")
        return true
    }
}

/// Checks each message's authenticated key (its `User-Id`, set by the ZAP handler) against the allow list, caching
/// the last answer until the key or the list changes, so the hot path pays a string compare per frame.
struct KeyCheck {
    private var lastKey = ""
    private var lastVersion = UInt64.max
    private var lastAllowed = false

    mutating func allows(_ key: String?, in list: AllowList) -> Bool {
        guard let key else { return false }
        let version = list.currentVersion
        if key == lastKey && version == lastVersion { return lastAllowed }
        lastKey = key
        lastVersion = version
        lastAllowed = list.contains(key)
        return lastAllowed
    }
}
