import Foundation

/// An attacker without keys, in a process of its own: it opens plain TCP connections to 127.0.0.1 and holds
/// them (idle, or dripping a byte on each every 2 ms) until stopped, or for at most two minutes.
///
/// A process of its own because thousands of descriptors opening and closing in the test process race with
/// Foundation's `Process.run` for the other tests' processes (seen as a crash inside `Process.run`).
public final class Attacker: @unchecked Sendable {
    private let process = Process()
    private let input = Pipe()

    /// Opens `count` connections to each endpoint (`tcp://127.0.0.1:PORT`); returns once they are started.
    public init(_ targets: [(endpoint: String, count: Int)], drip: Bool = false) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments =
            ["python3", "-c", Self.script, drip ? "drip" : "idle"] + targets.flatMap { [$0.endpoint, "\($0.count)"] }
        let output = Pipe()
        process.standardOutput = output
        process.standardInput = input
        process.standardError = FileHandle.nullDevice
        try process.run()
        var bytes = Data()
        while !bytes.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }  // the attacker exited
            bytes += chunk
        }
        let line = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let expected = targets.reduce(0) { $0 + $1.count }
        guard line == "ready \(expected)" else {
            stop()
            throw TimedOut(what: "the attacker to open \(expected) connections (it said '\(line)')", after: .seconds(0))
        }
    }

    deinit {
        stop()
    }

    /// Closes every connection: the attacker exits.
    public func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    private static let script = """
        import os, select, socket, sys, time
        drip = sys.argv[1] == "drip"
        connections = []
        for index in range(2, len(sys.argv), 2):
            host, port = sys.argv[index].replace("tcp://", "").rsplit(":", 1)
            for _ in range(int(sys.argv[index + 1])):
                connection = socket.socket()
                connection.setblocking(False)
                try:
                    connection.connect((host, int(port)))
                except BlockingIOError:
                    pass
                connections.append(connection)
        print("ready", len(connections), flush=True)
        deadline = time.time() + 120
        while time.time() < deadline:
            if select.select([sys.stdin], [], [], 0.002 if drip else 0.2)[0]:
                break
            if drip:
                for connection in connections:
                    try:
                        connection.send(b"G")
                    except OSError:
                        pass
        """
}
