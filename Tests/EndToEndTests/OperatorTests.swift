import Foundation
import TestSupport
import Testing

/// What operators rely on: configuration from the environment, progress, the JSON report and the metrics endpoints.
@Suite(.timeLimit(.minutes(3)))
struct OperatorTests {
    @Test func aSinkConfiguredFromTheEnvironmentShowsProgressAndReportsJSON() async throws {
        let sink = try RunningProcess(
            "sink", [],
            environment: [
                "SCATTERGATHER_SINK_RESULTS": "tcp://127.0.0.1:*", "SCATTERGATHER_SINK_CONTROL": "tcp://127.0.0.1:*",
                "SCATTERGATHER_SINK_JSON": "1", "SCATTERGATHER_SINK_PROGRESS": "plain",
                "SCATTERGATHER_SINK_PROGRESS_INTERVAL": "0.2",
            ])
        let words = try await sink.waitForErrorLine(startingWith: "sink: results ").split(separator: " ")
        let (results, control) = (String(words[2]), String(words[4]))
        let ventilator = try RunningProcess(
            "ventilator", [],
            environment: [
                "SCATTERGATHER_VENTILATOR_N": "100000000", "SCATTERGATHER_VENTILATOR_KERNEL": "primes-mr",
                "SCATTERGATHER_VENTILATOR_TASKS": "tcp://127.0.0.1:*", "SCATTERGATHER_VENTILATOR_RESULTS": results,
                "SCATTERGATHER_VENTILATOR_CONTROL": control,
            ])
        let tasks = String(try await ventilator.waitForErrorLine(startingWith: "ventilator: tasks ").split(separator: " ")[2])
        let workers = try ["a1", "b2"].map { id in
            try RunningProcess(
                "worker", [],
                environment: [
                    "SCATTERGATHER_WORKER_TASKS": tasks, "SCATTERGATHER_WORKER_RESULTS": results, "SCATTERGATHER_WORKER_ID": id,
                ])
        }

        #expect(try await ventilator.waitForExit() == 0, "\(ventilator.standardError)")
        #expect(try await sink.waitForExit() == 0, "\(sink.standardError)")
        let line = sink.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "stdout: \(line)")
        #expect(report["outcome"] as? String == "verified")
        #expect(report["total"] as? String == "5761455")
        #expect(report["completed"] as? Int == 1024)
        let perWorker = try #require(report["workers"] as? [[String: Any]])
        #expect(Set(perWorker.compactMap { $0["id"] as? String }) == ["00000000000000a1", "00000000000000b2"])
        #expect(perWorker.compactMap { $0["tasks"] as? Int }.reduce(0, +) == 1024)
        let progress = sink.standardError.split(separator: "\n").filter { $0.hasPrefix("progress: job ") }
        #expect(!progress.isEmpty, "stderr: \(sink.standardError)")
        #expect(progress.allSatisfy { $0.contains("/1024 tasks (") && $0.contains("ETA") })
        for worker in workers { worker.signal() }
    }

    @Test func theSinkAndTheVentilatorServeMetricsWhileAJobRuns() async throws {
        let pipeline = try await LivePipeline(sinkArguments: ["--metrics", "tcp://127.0.0.1:*"])
        let sinkMetrics = try await metricsEndpoint(of: pipeline.sink)
        let (ventilator, tasks) = try await pipeline.ventilator(
            ["--n", "100000000", "--kernel", "primes-mr", "--metrics", "tcp://127.0.0.1:*"])
        let ventilatorMetrics = try await metricsEndpoint(of: ventilator)
        let worker = try pipeline.worker(tasks: [tasks])
        try await waitForLog(worker, containing: "first task", timeout: .seconds(10))

        let fromVentilator = try httpRequest(ventilatorMetrics, path: "/metrics")
        let fromSink = try httpRequest(sinkMetrics, path: "/metrics")
        #expect(fromVentilator.hasPrefix("HTTP/1.1 200 OK"), "\(fromVentilator)")
        #expect(fromVentilator.contains("\nscattergather_ventilator_job_tasks 1024.0\n"))
        #expect(fromVentilator.contains("\nscattergather_ventilator_workers_connected 1.0\n"))
        #expect(fromSink.contains("\nscattergather_sink_jobs_active 1.0\n"), "\(fromSink)")
        #expect(fromSink.contains("\nscattergather_sink_job_tasks 1024.0\n"))
        #expect(try httpRequest(sinkMetrics, path: "/").hasPrefix("HTTP/1.1 404"))

        #expect(try await ventilator.waitForExit() == 0, "\(ventilator.standardError)")
        #expect(try await pipeline.sink.waitForExit() == 0)
        worker.signal()
    }

    @Test func aBadVariableIsAUsageErrorNamingIt() async throws {
        let unknown = try RunningProcess("sink", [], environment: ["SCATTERGATHER_SINK_RESULT": "tcp://127.0.0.1:1"])
        #expect(try await unknown.waitForExit(timeout: .seconds(60)) == 64)
        #expect(unknown.standardError.contains("SCATTERGATHER_SINK_RESULT is set, but names no option"))

        let invalid = try RunningProcess("worker", [], environment: ["SCATTERGATHER_WORKER_RESULTS": "udp://x"])
        #expect(try await invalid.waitForExit(timeout: .seconds(60)) == 64)
        #expect(invalid.standardError.contains("--results: 'udp://x' is not a ZeroMQ endpoint"))
        #expect(invalid.standardError.contains("set from the environment: SCATTERGATHER_WORKER_RESULTS"))

        let metrics = try RunningProcess("ventilator", ["--n", "10", "--metrics", "ipc:///tmp/x", "--dry-run"])
        #expect(try await metrics.waitForExit(timeout: .seconds(60)) == 64)
        #expect(metrics.standardError.contains("metrics are served over HTTP, so write tcp://HOST:PORT"))
    }

    @Test func aWorkerTakesSeveralVentilatorsFromOneVariable() async throws {
        let worker = try RunningProcess(
            "worker", [],
            environment: ["SCATTERGATHER_WORKER_TASKS": "tcp://127.0.0.1:1,tcp://127.0.0.1:2", "SCATTERGATHER_WORKER_ID": "c3"])
        let line = try await worker.waitForErrorLine(startingWith: "worker c3: tasks ")
        #expect(line.hasPrefix("worker c3: tasks tcp://127.0.0.1:1, tcp://127.0.0.1:2 results"))
        worker.signal()
        #expect(try await worker.waitForExit(timeout: .seconds(60)) == 0)
    }

    @Test(arguments: ["sink", "worker", "ventilator", "keygen"])
    func everyOptionInTheHelpCanComeFromTheEnvironment(program: String) async throws {
        let help = try RunningProcess(program, ["--help"])
        #expect(try await help.waitForExit(timeout: .seconds(60)) == 0)
        let text = help.standardOutput
        // Each option's entry starts a line of the OPTIONS section with its name, indented by two spaces
        // (wrapped descriptions are indented further).
        let options = text.split(separator: "\nOPTIONS:")[1].split(separator: "\n")
            .filter { $0.hasPrefix("  --") }.map { String($0.split(separator: " ")[0]) }
        #expect(options.count >= 1, "\(text)")
        for option in options {
            let variable =
                "SCATTERGATHER_\(program.uppercased())_"
                + option.dropFirst(2).uppercased().replacingOccurrences(of: "-", with: "_")
            // The help wraps lines, so look for the name with line breaks and indentation taken out.
            let unwrapped = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
            #expect(unwrapped.contains(variable), "\(program) --help lists \(option) but not \(variable)")
        }
    }

    /// The endpoint a role printed as `ROLE: metrics http://HOST:PORT/metrics`, as `tcp://HOST:PORT`.
    private func metricsEndpoint(of process: RunningProcess) async throws -> String {
        let line = try await process.waitForErrorLine(startingWith: "\(process.name): metrics http://")
        let hostPort = line.split(separator: "http://")[1].split(separator: "/")[0]
        return "tcp://\(hostPort)"
    }
}
