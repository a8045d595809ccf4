public import Foundation

/// One of the project's executables, started for real, with its output collected as it arrives.
public final class RunningProcess: @unchecked Sendable {
    private let process = Process()
    private let lock = NSLock()
    private var stdoutText = ""
    private var stderrText = ""
    public let name: String

    /// The folder holding the built executables: `$SCATTERGATHER_BIN`, or `.build/debug` of this checkout.
    public static var binaryFolder: URL {
        if let folder = ProcessInfo.processInfo.environment["SCATTERGATHER_BIN"] {
            return URL(fileURLWithPath: folder)
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug")
    }

    /// Starts `name` from ``binaryFolder`` with `arguments`, and `environment` added to this process's.
    public convenience init(_ name: String, _ arguments: [String], environment: [String: String] = [:]) throws {
        try self.init(Self.binaryFolder.appendingPathComponent(name), arguments, environment: environment)
    }

    /// Starts the executable at `executable` (one built elsewhere, such as an example package's).
    public init(_ executable: URL, _ arguments: [String], environment: [String: String] = [:]) throws {
        self.name = executable.lastPathComponent
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw Missing(path: executable.path)
        }
        process.executableURL = executable
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        for (pipe, isStderr) in [(out, false), (err, true)] {
            pipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
                let data = handle.availableData
                // Empty data means end of file: stop watching, or the handler spins.
                if data.isEmpty { handle.readabilityHandler = nil }
                self?.append(data, toStderr: isStderr)
            }
        }
        try process.run()
    }

    deinit {
        // Kill what a test left running, without waiting: Foundation's waitUntilExit can spin forever when the
        // test process is itself exiting (seen once, at the end of a run, with two workers left).
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    private func append(_ data: Data, toStderr: Bool) {
        guard !data.isEmpty else { return }
        let text = String(decoding: data, as: UTF8.self)
        lock.lock()
        if toStderr { stderrText += text } else { stdoutText += text }
        lock.unlock()
    }

    public var standardOutput: String {
        lock.lock()
        defer { lock.unlock() }
        return stdoutText
    }

    public var standardError: String {
        lock.lock()
        defer { lock.unlock() }
        return stderrText
    }

    public var processIdentifier: Int32 { process.processIdentifier }
    public var isRunning: Bool { process.isRunning }

    /// Waits until standard error has a line starting with `prefix`, and returns that line.
    /// Waits by sleeping in the task, never blocking a thread of Swift's small cooperative pool.
    public func waitForErrorLine(startingWith prefix: String, timeout: Duration = .seconds(60)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let line = standardError.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }) {
                return String(line)
            }
            if !process.isRunning { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw TimedOut(what: "\(name) to print '\(prefix)…'; stderr so far: \(standardError)", after: timeout)
    }

    /// Waits for the process to exit and returns its status. The default wait is long enough for a job of
    /// seconds on a 2-core machine whose cores are both busy with other work, and still catches a hang.
    @discardableResult
    public func waitForExit(timeout: Duration = .seconds(150)) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now >= deadline {
                process.terminate()
                throw TimedOut(what: "\(name) to exit; stderr: \(standardError)", after: timeout)
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        // Let the readability handlers deliver the last bytes.
        try await Task.sleep(for: .milliseconds(50))
        return process.terminationStatus
    }

    /// Sends a signal (SIGTERM by default) to the process.
    public func signal(_ signal: Int32 = SIGTERM) {
        kill(process.processIdentifier, signal)
    }

    public struct Missing: Error, CustomStringConvertible {
        public let path: String
        public var description: String { "\(path) is not built; run scripts/test (or swift build) first" }
    }
}
