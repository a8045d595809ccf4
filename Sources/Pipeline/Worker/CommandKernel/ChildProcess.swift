#if canImport(Glibc)
    import Glibc
#endif

/// A program started with pipes on its standard input, output and error, in a process group of its own (so a
/// Ctrl-C at the terminal reaches the worker, which then stops it, not the child in the middle of a task).
///
/// Our ends of the pipes are non-blocking and close on exec. Owned by one thread.
final class ChildProcess {
    let pid: pid_t
    /// Writes to the child's standard input.
    private(set) var input: Int32
    /// Reads the child's standard output.
    private(set) var output: Int32
    /// Reads the child's standard error.
    private(set) var errors: Int32
    private var reaped = false

    /// Why a program could not be started.
    struct StartFailure: Error, CustomStringConvertible {
        let description: String
    }

    /// Starts `arguments[0]` (looked up in `PATH` when it has no `/`) with `arguments`.
    init(arguments: [String]) throws(StartFailure) {
        guard let program = arguments.first else { throw StartFailure(description: "the command is empty") }
        var pipes: [(read: Int32, write: Int32)] = []
        defer {
            // The child's ends: it has its own copies now (or never will).
            for (index, pipe) in pipes.enumerated() { close(index == 0 ? pipe.read : pipe.write) }
        }
        for _ in 0..<3 {
            var ends: [Int32] = [-1, -1]
            guard pipe(&ends) == 0 else {
                for (index, pipe) in pipes.enumerated() { close(index == 0 ? pipe.write : pipe.read) }
                throw StartFailure(description: "cannot make a pipe: \(String(cString: strerror(errno)))")
            }
            for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
            pipes.append((ends[0], ends[1]))
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, pipes[0].read, 0)
        posix_spawn_file_actions_adddup2(&actions, pipes[1].write, 1)
        posix_spawn_file_actions_adddup2(&actions, pipes[2].write, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Signals the worker ignores or blocks (SIGPIPE, ...) are the child's business: give it the defaults.
        var all = sigset_t()
        sigfillset(&all)
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP))
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var child: pid_t = 0
        let result = posix_spawnp(&child, program, &actions, &attributes, &argv, environ)
        guard result == 0 else {
            for (index, pipe) in pipes.enumerated() { close(index == 0 ? pipe.write : pipe.read) }
            throw StartFailure(description: String(cString: strerror(result)))
        }
        pid = child
        input = pipes[0].write
        output = pipes[1].read
        errors = pipes[2].read
        for descriptor in [input, output, errors] {
            _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
        }
    }

    deinit {
        stop(grace: .zero)
    }

    /// Closes the child's standard input (its signal to finish), waits up to `grace` for it to exit, then kills
    /// it; returns how it ended.
    @discardableResult
    func stop(grace: Duration) -> String {
        closeInput()
        let deadline = ContinuousClock.now + grace
        while !reaped && ContinuousClock.now < deadline {
            if let status = exitStatus() { return status }
            usleep(10_000)
        }
        if !reaped { kill(pid, SIGKILL) }
        let status = waitForExit()
        for descriptor in [output, errors] where descriptor >= 0 { close(descriptor) }
        output = -1
        errors = -1
        return status
    }

    func closeInput() {
        if input >= 0 { close(input) }
        input = -1
    }

    /// How the child ended, if it has; reaps it.
    func exitStatus() -> String? {
        guard !reaped else { return lastStatus }
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        guard result == pid else { return nil }
        reaped = true
        lastStatus = Self.describe(status)
        return lastStatus
    }

    /// Waits for the child to end and says how.
    func waitForExit() -> String {
        guard !reaped else { return lastStatus }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        reaped = true
        lastStatus = Self.describe(status)
        return lastStatus
    }

    private var lastStatus = "ended"

    private static func describe(_ status: Int32) -> String {
        let signal = status & 0x7f
        if signal == 0 { return "exited with status \((status >> 8) & 0xff)" }
        let name = strsignal(signal).map { String(cString: $0) } ?? "signal \(signal)"
        return "was killed by signal \(signal) (\(name))"
    }
}
