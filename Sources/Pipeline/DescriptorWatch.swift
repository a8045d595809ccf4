import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// Watches how many file descriptors the process holds, and warns, at a bounded rate, when four fifths of its
/// limit are in use: past the limit the role can accept no connection at all, from workers or scrapers alike.
struct DescriptorWatch {
    static let interval: Duration = .seconds(1)

    private var lastCheck: ContinuousClock.Instant?
    private var warnings = RateLimitedWarning(interval: .seconds(10))

    /// Counts the descriptors in use about once a second; warns when they run short.
    mutating func check(now: ContinuousClock.Instant, logger: Logger) {
        if let lastCheck, now - lastCheck < Self.interval { return }
        lastCheck = now
        guard let (used, limit) = Self.usage(), used * 5 >= limit * 4 else { return }
        warnings.warn(
            logger,
            "\(used) of \(limit) file descriptors in use: raise the limit (ulimit -n, or LimitNOFILE= in the unit), "
                + "or look for a flood of connections to this role's ports")
    }

    /// Descriptors open now (entries of /proc/self/fd) and the soft limit, or `nil` where they cannot be read.
    static func usage() -> (used: Int, limit: Int)? {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0, let directory = opendir("/proc/self/fd") else {
            return nil
        }
        defer { closedir(directory) }
        var used = -3  // ".", ".." and the descriptor of the directory itself
        while readdir(directory) != nil { used += 1 }
        return (max(0, used), Int(clamping: limit.rlim_cur))
    }
}
