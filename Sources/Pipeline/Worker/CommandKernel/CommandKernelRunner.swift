import Logging
import PipelineCore
import Wire

#if canImport(Glibc)
    import Glibc
#endif

/// Runs a ``CommandKernel``: one long-lived child process, fed many task lines before their results are read.
///
/// Whatever the child does, no task is lost and none is counted twice: each task of a batch gets at most one
/// value, the first valid answer for it. A malformed answer, an answer for a task it was not given, an exit, a
/// crash, or silence past the task time limit makes the tasks without a value go again (after a failure one at a
/// time, so one bad task cannot sink its neighbours), to a restarted child after an exit (with backoff). A task
/// that fails ``maxTries`` times is reported as failed, with the last reason.
final class CommandKernelRunner {
    /// Tries per task before it is reported as failed.
    static let maxTries = 3
    /// The longest wait before restarting a child that keeps failing.
    static let maxBackoff: Duration = .seconds(5)
    /// Extra time a freshly started child has for its first answer: interpreters and JITs start slowly, more so on
    /// a loaded machine, and the task time limit is for tasks, not for starting.
    static let startupGrace: Duration = .seconds(10)
    /// Once the worker is stopping, how long it still waits for the answers outstanding before it leaves them (their
    /// tasks go back to the ventilator) rather than retry anything.
    static let stoppingWait: Duration = .seconds(2)

    let name: KernelName
    private let command: CommandKernel
    private let taskTimeout: Duration
    private let logger: Logger
    private var child: ChildProcess?
    /// Whether the running child has answered anything yet (until then it has ``startupGrace`` more).
    private var childHasAnswered = false
    /// Child failures since the last valid answer: the restart backoff grows with them.
    private var consecutiveFailures = 0
    private var stderrLog: ChildOutputLog
    private var malformed = RateLimitedWarning()
    private var readBuffer = [UInt8](repeating: 0, count: 65_536)

    /// Starts the command; fails with a message naming it when it cannot be started.
    init(_ command: CommandKernel, taskTimeout: Duration, logger: Logger) throws(PipelineError) {
        name = command.name
        self.command = command
        self.taskTimeout = taskTimeout
        self.logger = logger
        stderrLog = ChildOutputLog(kernel: command.name)
        do {
            child = try ChildProcess(arguments: command.arguments)
        } catch {
            throw PipelineError(
                .kernel,
                "cannot start kernel '\(command.name)' (--command \(command.name)=\(command.commandLine)): \(error); "
                    + "check the program's name and that it is installed and executable")
        }
    }

    func shutdown() {
        guard let child else { return }
        drainErrors(of: child)
        child.stop(grace: .seconds(2))
        self.child = nil
    }

    /// One batch in flight between the worker and the child.
    private struct Round {
        var queue: [RangeTask]
        var tries: [UInt64: Int] = [:]
        /// Tasks written and not yet answered, by id.
        var outstanding: [UInt64: RangeTask] = [:]
        /// Lines the child still owes for what was written (any line, valid or not, pays one).
        var linesOwed = 0
        var pendingWrite: [UInt8] = []
        var written = 0
        /// After a failure, tasks go one at a time.
        var oneAtATime = false
        var lastAnswer = ContinuousClock.now
        var partialLine: [UInt8] = []
        var discardingLongLine = false
    }

    /// Computes one batch's tasks: appends a result for each task it computed (in any order), and the task and a
    /// reason for each that failed on every try.
    func run(
        _ tasks: [RangeTask], workerID: UInt64, stop: StopFlag, into results: inout [TaskResult],
        failures: inout [(task: RangeTask, reason: String)]
    ) {
        var seen = Set<UInt64>()
        var round = Round(queue: tasks.filter { seen.insert($0.taskID).inserted }.reversed())
        var stopping: ContinuousClock.Instant?
        while !round.queue.isEmpty || !round.outstanding.isEmpty {
            if stopping == nil && stop.isRequested { stopping = .now }
            // Stopping: no new tries, and only a short wait for answers already asked for; what is left unanswered
            // is not reported, so the ventilator re-issues it (the worker's leaving credit says it holds nothing).
            if let stopping, round.outstanding.isEmpty || ContinuousClock.now - stopping > Self.stoppingWait {
                logger.notice("kernel '\(name)': stopping with \(round.queue.count + round.outstanding.count) task(s) unanswered")
                return
            }
            guard let child = running(&round, failures: &failures) else { continue }
            if stopping == nil { feed(&round) }
            if let problem = exchange(with: child, &round, workerID: workerID, into: &results) {
                retry(&round, reason: problem, failures: &failures)
            }
        }
    }

    /// The running child, started (after the backoff) if need be; `nil` when it could not be, with every task
    /// of the round then failed.
    private func running(_ round: inout Round, failures: inout [(task: RangeTask, reason: String)]) -> ChildProcess? {
        if let child { return child }
        if consecutiveFailures > 0 {
            let backoff = min(Self.maxBackoff, .milliseconds(100) * (1 << min(consecutiveFailures - 1, 10)))
            logger.warning("kernel '\(name)': restarting `\(command.commandLine)` in \(backoff)")
            sleep(for: backoff)
        }
        do {
            let started = try ChildProcess(arguments: command.arguments)
            child = started
            childHasAnswered = false
            return started
        } catch {
            let reason = "kernel '\(name)' (`\(command.commandLine)`) cannot be started: \(error)"
            logger.error("\(reason)")
            for task in round.queue + Array(round.outstanding.values) { failures.append((task, reason)) }
            round.queue.removeAll()
            round.outstanding.removeAll()
            return nil
        }
    }

    /// Writes the next task lines: the whole queue normally, one task at a time after a failure.
    private func feed(_ round: inout Round) {
        guard round.written == round.pendingWrite.count, !round.queue.isEmpty else { return }
        guard !round.oneAtATime || round.outstanding.isEmpty else { return }
        if round.outstanding.isEmpty { round.lastAnswer = .now }
        round.pendingWrite.removeAll(keepingCapacity: true)
        round.written = 0
        let count = round.oneAtATime ? 1 : round.queue.count
        for _ in 0..<count {
            guard let task = round.queue.popLast() else { break }
            LineProtocol.appendTaskLine(task, to: &round.pendingWrite)
            round.outstanding[task.taskID] = task
            round.linesOwed += 1
        }
    }

    /// Writes what is pending and reads what the child says, for up to 100 ms; returns why the tasks outstanding
    /// must go again, if they must.
    private func exchange(
        with child: ChildProcess, _ round: inout Round, workerID: UInt64, into results: inout [TaskResult]
    ) -> String? {
        let wantsWrite = round.written < round.pendingWrite.count && child.input >= 0
        var fds = [
            pollfd(fd: child.output, events: Int16(POLLIN), revents: 0),
            pollfd(fd: child.errors, events: Int16(POLLIN), revents: 0),
            pollfd(fd: wantsWrite ? child.input : -1, events: Int16(POLLOUT), revents: 0),
        ]
        let limit = taskTimeout + (childHasAnswered ? .zero : Self.startupGrace)
        let remaining = round.lastAnswer + limit - .now
        let wait = max(0, min(100, Int32(clamping: remaining.wholeNanoseconds / 1_000_000)))
        _ = poll(&fds, 3, wait)
        if fds[1].revents != 0 { drainErrors(of: child) }
        if fds[2].revents != 0, let problem = writePending(to: child, &round) { return failChild(problem) }
        if fds[0].revents != 0 {
            let count = read(child.output, &readBuffer, readBuffer.count)
            if count == 0 || (count < 0 && errno != EAGAIN && errno != EINTR) {
                drainErrors(of: child)
                return failChild("`\(command.commandLine)` \(child.waitForExit())")
            }
            if count > 0 { take(readBuffer[0..<count], &round, workerID: workerID, into: &results) }
        }
        if round.linesOwed == 0 && !round.outstanding.isEmpty {
            return "kernel '\(name)' answered with a malformed line, or for another task, instead of these"
        }
        if !round.outstanding.isEmpty && ContinuousClock.now - round.lastAnswer >= limit {
            let grace = childHasAnswered ? "" : ", with \(Self.startupGrace) more for a new process's first answer"
            return failChild(
                "`\(command.commandLine)` gave no answer within \(taskTimeout) (--task-timeout\(grace)); killed it")
        }
        return nil
    }

    private func writePending(to child: ChildProcess, _ round: inout Round) -> String? {
        let count = round.pendingWrite[round.written...].withUnsafeBytes { write(child.input, $0.baseAddress, $0.count) }
        if count > 0 {
            round.written += count
        } else if count < 0 && errno != EAGAIN && errno != EINTR {
            return "`\(command.commandLine)` closed its standard input (\(String(cString: strerror(errno))))"
        }
        return nil
    }

    /// Splits the child's output into lines and takes each answer.
    private func take(
        _ bytes: ArraySlice<UInt8>, _ round: inout Round, workerID: UInt64, into results: inout [TaskResult]
    ) {
        var start = bytes.startIndex
        while let newline = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) {
            if round.discardingLongLine {
                round.discardingLongLine = false
            } else {
                round.partialLine.append(contentsOf: bytes[start..<newline])
                answer(round.partialLine[...], &round, workerID: workerID, into: &results)
            }
            round.partialLine.removeAll(keepingCapacity: true)
            start = newline + 1
        }
        guard !round.discardingLongLine else { return }
        round.partialLine.append(contentsOf: bytes[start...])
        if round.partialLine.count > LineProtocol.maxLineBytes {
            // Far too long to be an answer: it counts as one malformed line, and the rest of it is skipped.
            answer(round.partialLine.prefix(80), &round, workerID: workerID, into: &results)
            round.partialLine.removeAll(keepingCapacity: true)
            round.discardingLongLine = true
        }
    }

    private func answer(_ line: ArraySlice<UInt8>, _ round: inout Round, workerID: UInt64, into results: inout [TaskResult]) {
        let now = ContinuousClock.now
        round.linesOwed = max(0, round.linesOwed - 1)
        do {
            let (taskID, value) = try LineProtocol.parseResult(line)
            guard let task = round.outstanding.removeValue(forKey: taskID) else {
                malformed.warn(
                    logger, "kernel '\(name)' answered task \(taskID), which it was not given (or answered twice); ignored")
                return
            }
            guard
                let result = try? TaskResult(
                    jobID: task.jobID, taskID: taskID, workerID: workerID, partial: value,
                    elementCount: UInt64(clamping: task.elementCount),
                    computeNanoseconds: (now - round.lastAnswer).wholeNanoseconds)
            else { return }
            results.append(result)
            round.lastAnswer = now
            consecutiveFailures = 0
            childHasAnswered = true
        } catch {
            malformed.warn(logger, "kernel '\(name)' answered \(error); the task goes again")
        }
    }

    /// Sends the outstanding tasks round again, or reports those out of tries.
    private func retry(_ round: inout Round, reason: String, failures: inout [(task: RangeTask, reason: String)]) {
        for task in round.outstanding.values.sorted(by: { $0.taskID > $1.taskID }) {
            let tries = round.tries[task.taskID, default: 0] + 1
            round.tries[task.taskID] = tries
            if tries >= Self.maxTries {
                logger.error("kernel '\(name)': task \(task.taskID) [\(task.lo), \(task.hi)] failed \(tries) times: \(reason)")
                failures.append((task, "\(reason) (\(tries) tries)"))
            } else {
                round.queue.append(task)
            }
        }
        round.outstanding.removeAll()
        if child == nil {
            // A new process starts a new stream: a line the old one left half-written is not the start of an answer.
            round.partialLine.removeAll(keepingCapacity: true)
            round.discardingLongLine = false
        }
        round.linesOwed = 0
        round.pendingWrite.removeAll(keepingCapacity: true)
        round.written = 0
        round.oneAtATime = true
    }

    /// Stops the child after a failure; returns the reason, logged.
    private func failChild(_ reason: String) -> String {
        if let child {
            drainErrors(of: child)
            child.stop(grace: .zero)
        }
        child = nil
        consecutiveFailures += 1
        logger.warning("kernel '\(name)': \(reason)")
        return "kernel '\(name)': \(reason)"
    }

    /// Passes what the child wrote to standard error to the log, at a bounded rate.
    private func drainErrors(of child: ChildProcess) {
        while child.errors >= 0 {
            let count = read(child.errors, &readBuffer, readBuffer.count)
            guard count > 0 else { return }
            stderrLog.append(readBuffer[0..<count], logger: logger)
        }
    }

    private func sleep(for duration: Duration) {
        var request = timespec(
            tv_sec: Int(duration.components.seconds), tv_nsec: Int(duration.components.attoseconds / 1_000_000_000))
        var remaining = timespec()
        while nanosleep(&request, &remaining) == -1 && errno == EINTR { request = remaining }
    }
}
