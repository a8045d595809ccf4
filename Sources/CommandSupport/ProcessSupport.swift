import ArgumentParser
public import Logging
import Pipeline
public import PipelineCore
import ZeroMQ

#if canImport(Glibc)
    import Glibc
#endif

/// The flag SIGINT and SIGTERM set; every role's loop polls it.
public let processStopFlag = StopFlag()

/// The flag SIGHUP raises: the sink and the ventilator then read their `--allow` files again.
public let processReloadFlag = SignalFlag()

/// Makes SIGINT and SIGTERM request a graceful stop instead of killing the process, sends logs to standard
/// error at the chosen level, keeps freed frames' memory (``keepFrameMemory()``), and with `--exit-with-parent` stops
/// the role when its parent dies.
public func prepareProcess(label: String, options: ProcessOptions) -> Logger {
    keepFrameMemory()
    let level = options.logLevel
    LoggingSystem.bootstrap { label in
        var handler = StreamLogHandler.standardError(label: label)
        handler.logLevel = level
        return handler
    }
    // A global is made on first use; that first use must not be inside a signal handler (which may not
    // allocate), so make it here, before any handler can run.
    let stop = processStopFlag
    _ = processReloadFlag
    // A parent may have started us with these blocked (signal masks are inherited): we must see them.
    var unblock = sigset_t()
    sigemptyset(&unblock)
    for sig in [SIGINT, SIGTERM] {
        sigaddset(&unblock, sig)
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in processStopFlag.request() }
        sigemptyset(&action.sa_mask)
        sigaction(sig, &action, nil)
    }
    var hangup = sigaction()
    hangup.__sigaction_handler.sa_handler = { _ in processReloadFlag.raise() }
    sigemptyset(&hangup.sa_mask)
    sigaction(SIGHUP, &hangup, nil)
    sigaddset(&unblock, SIGHUP)
    pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
    // A closed pipe on stdout must not kill a role mid-job.
    signal(SIGPIPE, SIG_IGN)
    let logger = Logger(label: label)
    if options.exitWithParent { ParentWatch.start(stop: stop, logger: logger) }
    return logger
}

/// Writes a line to standard error, unbuffered, for messages scripts and people read.
public func printError(_ line: String) {
    writeUnbuffered(line + "\n", to: 2)
}

/// Writes a line to standard output unbuffered, so it reaches pipes at once.
public func printLine(_ line: String) {
    writeUnbuffered(line + "\n", to: 1)
}

/// Writes `text` as it is (no newline added) straight to a file descriptor, bypassing stdio's buffers.
func writeUnbuffered(_ text: String, to descriptor: Int32) {
    var text = text
    text.withUTF8 { _ = write(descriptor, $0.baseAddress, $0.count) }
}

/// Runs a role's work; a pipeline or libzmq failure becomes one line on standard error, naming the role,
/// and exit status 1.
public func reportingFailures(of role: String, _ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as PipelineError {
        printError("\(role): error: \(error)")
        throw ExitCode(1)
    } catch let error as ZMQError {
        printError("\(role): error: libzmq: \(error)")
        throw ExitCode(1)
    }
}
