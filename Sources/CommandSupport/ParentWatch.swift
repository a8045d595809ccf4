import Logging
import Pipeline
import PipelineCore

#if canImport(Glibc)
    import Glibc
#endif

/// Stops a role whose parent has died, so no role outlives the launcher that started it, even when the
/// launcher was killed with SIGKILL and could run no clean-up of its own.
///
/// A process whose parent dies is re-parented (to init or a subreaper), so its parent id changes: the watch
/// compares it with the one at start four times a second. Polling, rather than Linux's `PR_SET_PDEATHSIG`,
/// because the stop must be the role's graceful one (a worker hands back its tasks, a journaled sink pauses).
enum ParentWatch {
    static let interval: Duration = .milliseconds(250)
    /// How long the graceful stop may take before the process exits anyway.
    static let grace: Duration = .seconds(15)

    static func start(stop: StopFlag, logger: Logger) {
        let parent = getppid()
        startDetachedThread {
            while getppid() == parent {
                sleep(for: interval)
            }
            logger.notice("the process that started this one (pid \(parent)) has ended: stopping")
            stop.request()
            sleep(for: grace)
            logger.error("still running \(grace) after the parent ended: exiting")
            exit(1)
        }
    }

    private static func sleep(for duration: Duration) {
        var request = timespec(
            tv_sec: Int(duration.components.seconds), tv_nsec: Int(duration.components.attoseconds / 1_000_000_000))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
    }
}
