import Foundation
import TestSupport

/// A sink and ventilator started as real processes on ephemeral tcp ports of 127.0.0.1.
struct LivePipeline {
    let sink: RunningProcess
    let results: String
    let control: String

    init(sinkArguments: [String] = []) async throws {
        sink = try RunningProcess(
            "sink", ["--results", "tcp://127.0.0.1:*", "--control", "tcp://127.0.0.1:*"] + sinkArguments)
        let line = try await sink.waitForErrorLine(startingWith: "sink: results ")
        let words = line.split(separator: " ")
        results = String(words[2])
        control = String(words[4])
    }

    /// Starts a ventilator for the given job flags; returns it and its bound task endpoint.
    func ventilator(_ arguments: [String]) async throws -> (process: RunningProcess, tasks: String) {
        let process = try RunningProcess(
            "ventilator",
            arguments + ["--tasks", "tcp://127.0.0.1:*", "--results", results, "--control", control])
        let line = try await process.waitForErrorLine(startingWith: "ventilator: tasks ")
        return (process, String(line.split(separator: " ")[2]))
    }

    func worker(tasks: [String], extra: [String] = []) throws -> RunningProcess {
        try RunningProcess("worker", tasks.flatMap { ["--tasks", $0] } + ["--results", results] + extra)
    }
}
