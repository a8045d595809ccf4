public import Logging
import PipelineCore

/// Logs a recurring warning at most once per interval, saying how many were suppressed in between,
/// so a flood of garbage cannot flood the log.
public struct RateLimitedWarning {
    private let interval: Duration
    private var lastLogged: ContinuousClock.Instant?
    private var suppressed = 0

    public init(interval: Duration = .seconds(1)) {
        self.interval = interval
    }

    public mutating func warn(_ logger: Logger, _ message: @autoclosure () -> String) {
        let now = ContinuousClock.now
        if let lastLogged, now - lastLogged < interval {
            suppressed += 1
            return
        }
        let note = suppressed > 0 ? " (\(suppressed) more like it suppressed)" : ""
        logger.warning("\(message())\(note)")
        lastLogged = now
        suppressed = 0
    }
}
