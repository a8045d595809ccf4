import Foundation
import TestSupport
import Testing

/// Roles started by a launcher (as scripts/run and scripts/add-worker start them) never outlive it,
/// even when it is killed with SIGKILL and can stop nobody itself.
@Suite(.timeLimit(.minutes(1)))
struct LauncherTests {
    static let roles: [(name: String, arguments: [String])] = [
        ("worker", ["--tasks", "tcp://127.0.0.1:9", "--results", "tcp://127.0.0.1:9"]),
        ("sink", ["--results", "tcp://127.0.0.1:*", "--control", "tcp://127.0.0.1:*", "--jobs", "0"]),
    ]

    @Test(arguments: roles.map(\.name))
    func aRoleWithExitWithParentStopsWhenItsLauncherIsKilled(_ name: String) async throws {
        let arguments = try #require(Self.roles.first { $0.name == name }).arguments + ["--exit-with-parent"]
        let launcher = Process()
        launcher.executableURL = URL(fileURLWithPath: "/bin/bash")
        let program = RunningProcess.binaryFolder.appendingPathComponent(name).path
        // The launcher starts the role in the background and waits, as scripts/run does.
        launcher.arguments = ["-c", "\"$0\" \"$@\" 2>/dev/null & echo $!; wait", program] + arguments
        let output = Pipe()
        launcher.standardOutput = output
        try launcher.run()
        let line = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
        let pid = try #require(Int32(line.trimmingCharacters(in: .whitespacesAndNewlines)), "launcher printed '\(line)'")
        try await Task.sleep(for: .milliseconds(500))
        #expect(Self.isRunning(pid), "the \(name) should run while its launcher does")

        kill(launcher.processIdentifier, SIGKILL)
        launcher.waitUntilExit()
        let deadline = ContinuousClock.now + .seconds(15)
        while Self.isRunning(pid) && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        let survived = Self.isRunning(pid)
        if survived { kill(pid, SIGKILL) }
        #expect(!survived, "the \(name) outlived its launcher")
    }

    /// Alive and not a zombie (a zombie has exited; only its parent has yet to reap it).
    static func isRunning(_ pid: Int32) -> Bool {
        guard kill(pid, 0) == 0 else { return false }
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        return !stat.contains(") Z ")
    }
}
