import Foundation
import TestSupport
import Testing

/// Hostile input at the edges, by an attacker without keys, on loopback, bounded in count and time: the job
/// still gets its exact total, a scrape still gets an answer, and the roles' descriptors stay bounded.
/// Serialized: three 10^7-task jobs under attack at once would load a 2-core machine for every other test.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct EdgeTests {
    enum Attack: String, CaseIterable, Sendable {
        /// 1100 connections to the sink's metrics port that send nothing, with the sink at 1024 descriptors.
        case idleMetricsConnections
        /// 64 connections to each metrics port sending a byte at a time.
        case drippingMetricsConnections
        /// 2000 connections to the sink's results port that never send the ZMTP greeting.
        case greetinglessResultsConnections
    }

    @Test(arguments: Attack.allCases)
    func aJobUnderAttackKeepsItsTotalAndScrapesAreAnswered(_ attack: Attack) async throws {
        let pipeline = try await LivePipeline(sinkArguments: ["--metrics", "tcp://127.0.0.1:*", "--jobs", "0"])
        let sinkMetrics = try await metricsEndpoint(of: pipeline.sink)
        var attackers: [Attacker] = []
        switch attack {
        case .idleMetricsConnections:
            try setDescriptorLimit(1024, of: pipeline.sink.processIdentifier)
            attackers.append(try Attacker([(sinkMetrics, 1100)]))
        case .greetinglessResultsConnections:
            attackers.append(try Attacker([(pipeline.results, 2000)]))
        case .drippingMetricsConnections:
            break
        }
        let (ventilator, tasks) = try await pipeline.ventilator(
            ["--n", "10000000", "--chunk", "1", "--metrics", "tcp://127.0.0.1:*"])
        if attack == .drippingMetricsConnections {
            let ventilatorMetrics = try await metricsEndpoint(of: ventilator)
            attackers.append(try Attacker([(sinkMetrics, 64), (ventilatorMetrics, 64)], drip: true))
        }
        let workers = try (0..<2).map { _ in try pipeline.worker(tasks: [tasks]) }

        // A scrape in the middle of the attack.
        let started = ContinuousClock.now
        let response = try httpRequest(sinkMetrics, path: "/metrics")
        let answeredIn = ContinuousClock.now - started
        #expect(response.hasPrefix("HTTP/1.1 200 OK"), "\(response)")
        #expect(answeredIn < .seconds(5), "a scrape during the attack took \(answeredIn)")

        #expect(try await ventilator.waitForExit() == 0, "\(ventilator.standardOutput)\(ventilator.standardError)")
        for attacker in attackers where attack == .drippingMetricsConnections { attacker.stop() }
        #expect(ventilator.standardOutput.contains("total: 50000005000000"), "\(ventilator.standardOutput)")
        // Connections that never complete a request or a greeting are closed within their timeouts (5 s), so the
        // sink's descriptors come back to what its own sockets need, and its memory stays small.
        let sink = pipeline.sink.processIdentifier
        let deadline = ContinuousClock.now + .seconds(15)
        while openDescriptors(of: sink) >= 200 && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(100)) }
        let descriptors = openDescriptors(of: sink)
        let dispatchLine = ventilator.standardOutput.split(separator: "\n").first { $0.hasPrefix("dispatch to report") } ?? ""
        print(
            "edge: \(attack.rawValue): scrape answered in \(answeredIn), sink descriptors after \(descriptors), \(dispatchLine)")
        #expect(descriptors < 200, "the sink still held \(descriptors) descriptors")
        #expect(residentKiB(sink) < 64 * 1024)
        pipeline.sink.signal(SIGTERM)
        _ = try await pipeline.sink.waitForExit(timeout: .seconds(60))
        for worker in workers { worker.signal() }
        for attacker in attackers { attacker.stop() }
    }

    private func residentKiB(_ pid: Int32) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
        else { return 0 }
        return Int(line.split(separator: " ")[1]) ?? 0
    }

    @Test func theVentilatorsMetricsAnswerWhileItWaitsForTheSink() async throws {
        // No sink: the ventilator waits in its handshake, as when the sink is down or unreachable.
        let ventilator = try RunningProcess(
            "ventilator",
            [
                "--n", "1000", "--tasks", "tcp://127.0.0.1:*", "--results", "tcp://127.0.0.1:9", "--control", "tcp://127.0.0.1:9",
                "--metrics", "tcp://127.0.0.1:*", "--timeout", "60",
            ])
        let metrics = try await metricsEndpoint(of: ventilator)
        let response = try httpRequest(metrics, path: "/metrics")
        #expect(response.hasPrefix("HTTP/1.1 200 OK"), "\(response)")
        #expect(response.contains("scattergather_ventilator_job_tasks 1000"), "\(response)")
        ventilator.signal(SIGTERM)
        _ = try await ventilator.waitForExit(timeout: .seconds(60))
    }

    private func metricsEndpoint(of process: RunningProcess) async throws -> String {
        let line = try await process.waitForErrorLine(startingWith: "\(process.name): metrics http://")
        return "tcp://" + line.split(separator: "http://")[1].split(separator: "/")[0]
    }

    private func setDescriptorLimit(_ limit: Int, of pid: Int32) throws {
        let prlimit = Process()
        prlimit.executableURL = URL(fileURLWithPath: "/usr/bin/prlimit")
        prlimit.arguments = ["--pid", "\(pid)", "--nofile=\(limit):\(limit)"]
        try prlimit.run()
        prlimit.waitUntilExit()
        #expect(prlimit.terminationStatus == 0, "prlimit could not lower the sink's descriptor limit")
    }
}
