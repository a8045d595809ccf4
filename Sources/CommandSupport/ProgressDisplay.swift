public import ArgumentParser
import Pipeline
public import PipelineCore
import Reporting

#if canImport(Glibc)
    import Glibc
#endif

/// Shows a sink's progress to people on standard error: one line redrawn in place on a terminal,
/// or a plain line per job now and then when standard error is a file or a pipe.
public final class ProgressDisplay {
    /// How progress is shown.
    public enum Mode: String, CaseIterable, ExpressibleByArgument, Sendable {
        /// `live` on a terminal, `plain` otherwise.
        case auto
        /// One line, redrawn in place.
        case live
        /// A line per job every interval.
        case plain
        /// No progress output.
        case off
    }

    private let live: Bool
    private let enabled: Bool
    private let interval: Duration
    private var lastDrawn: ContinuousClock.Instant?
    private var meters: [UInt64: RateMeter] = [:]
    private var lineShown = false

    /// - Parameters:
    ///   - mode: `auto` picks `live` when standard error is a terminal.
    ///   - interval: how often plain lines are written (a live line redraws 4 times a second).
    public init(mode: Mode, interval: Duration) {
        let terminal = isatty(2) == 1
        live = mode == .live || (mode == .auto && terminal)
        enabled = mode != .off
        self.interval = live ? .milliseconds(250) : interval
    }

    /// Takes a new status; draws it when the interval has passed.
    public func update(_ status: SinkStatus, now: ContinuousClock.Instant = .now) {
        guard enabled else { return }
        var rates: [UInt64: Double] = [:]
        for job in status.jobs {
            meters[job.announcement.jobID, default: RateMeter()].record(job.completed, at: now)
            rates[job.announcement.jobID] = meters[job.announcement.jobID]?.perSecond
        }
        meters = meters.filter { id, _ in status.jobs.contains { $0.announcement.jobID == id } }
        guard let lastDrawn else {
            // A live line shows at once; the first plain line waits an interval, so it can show a rate.
            lastDrawn = now
            if live { draw(status, rates: rates) }
            return
        }
        guard now - lastDrawn >= interval else { return }
        self.lastDrawn = now
        draw(status, rates: rates)
    }

    private func draw(_ status: SinkStatus, rates: [UInt64: Double]) {
        let lines = status.jobs.map { ProgressText.line(for: $0, rate: rates[$0.announcement.jobID]) }
        if live {
            // Clear the line, draw, and return to its start, so a log line written meanwhile overwrites it.
            // A line wider than the terminal would wrap, and the next redraw could not erase it.
            let line = String(lines.joined(separator: " | ").prefix(max(20, Self.terminalColumns() - 1)))
            writeUnbuffered("\r\u{1B}[K" + line + "\r", to: 2)
            lineShown = !lines.isEmpty
        } else if !lines.isEmpty {
            writeUnbuffered(lines.map { "progress: " + $0 + "\n" }.joined(), to: 2)
        }
    }

    /// Erases the live line, before a report is printed.
    public func clear() {
        guard live, lineShown else { return }
        writeUnbuffered("\r\u{1B}[K", to: 2)
        lineShown = false
    }

    private static func terminalColumns() -> Int {
        var size = winsize()
        guard ioctl(2, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
        return Int(size.ws_col)
    }
}
