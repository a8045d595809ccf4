import Logging
import PipelineCore
import Wire

/// Lines a kernel's process writes to standard error, passed to the worker's log at most ``linesPerSecond`` a
/// second (the rest counted, and the count logged), each cut to ``maxLineBytes``.
struct ChildOutputLog {
    static let linesPerSecond = 10
    static let maxLineBytes = 300

    let kernel: KernelName
    private var partial: [UInt8] = []
    private var windowStart = ContinuousClock.now
    private var loggedInWindow = 0
    private var suppressed = 0

    init(kernel: KernelName) {
        self.kernel = kernel
    }

    mutating func append(_ bytes: ArraySlice<UInt8>, logger: Logger) {
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                emit(logger: logger)
            } else if partial.count < Self.maxLineBytes {
                partial.append(byte)
            }
        }
    }

    private mutating func emit(logger: Logger) {
        defer { partial.removeAll(keepingCapacity: true) }
        let now = ContinuousClock.now
        if now - windowStart >= .seconds(1) {
            if suppressed > 0 { logger.warning("kernel '\(kernel)': \(suppressed) lines of standard error were not shown") }
            windowStart = now
            loggedInWindow = 0
            suppressed = 0
        }
        guard loggedInWindow < Self.linesPerSecond else {
            if suppressed == 0 {
                logger.warning(
                    "kernel '\(kernel)': more lines of standard error not shown (at most \(Self.linesPerSecond) a second)")
            }
            suppressed += 1
            return
        }
        loggedInWindow += 1
        let text = String(decoding: partial, as: UTF8.self)
        logger.warning("kernel '\(kernel)' says: \(text)")
    }
}
