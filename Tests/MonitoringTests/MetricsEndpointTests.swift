import Foundation
import Pipeline
import PipelineCore
import Prometheus
import TestSupport
import Testing
import Wire
import ZeroMQ

@testable import Monitoring

/// The metrics endpoint over real TCP, served from the test's loop as a role serves it from its own.
@Suite(.timeLimit(.minutes(1)))
struct MetricsEndpointTests {
    /// Runs `request` on another thread while this one serves, as a role's loop does.
    private func exchange(
        _ endpoint: MetricsEndpoint, refresh: () -> Void = {}, request: @escaping @Sendable () throws -> String
    )
        throws -> String
    {
        let client = BlockingThread.run { try request() }
        let deadline = ContinuousClock.now + .seconds(10)
        while !client.isFinished && ContinuousClock.now < deadline {
            endpoint.serve(refresh: refresh)
            Thread.sleep(forTimeInterval: 0.001)
        }
        return try client.value(timeout: .seconds(1))
    }

    @Test func aScrapeGetsThePrometheusTextOfTheRoleAsItIsNow() throws {
        let context = try Context()
        let registry = PrometheusCollectorRegistry()
        var metrics = SinkMetrics(registry: registry)
        let endpoint = try MetricsEndpoint(
            context: context, endpoint: "tcp://127.0.0.1:*", registry: registry, role: "sink", flag: "--metrics")
        var status = SinkStatus()
        status.tasksCompleted = 1234
        status.duplicates = 5
        status.jobsEnded[.verified] = 2
        let url = endpoint.endpoint
        let response = try exchange(
            endpoint, refresh: { metrics.update(status) }, request: { try httpRequest(url, path: "/metrics") })

        #expect(response.hasPrefix("HTTP/1.1 200 OK\r\n"), "\(response)")
        #expect(response.contains("Content-Type: text/plain; version=0.0.4"))
        #expect(response.contains("\nscattergather_sink_tasks_completed_total 1234\n"))
        #expect(response.contains("\nscattergather_sink_duplicates_total 5\n"))
        #expect(response.contains("scattergather_sink_jobs_ended_total{outcome=\"verified\"} 2\n"))
        let body = response.split(separator: "\r\n\r\n", maxSplits: 1).last.map(String.init) ?? ""
        #expect(response.contains("Content-Length: \(body.utf8.count)\r\n"))
    }

    @Test func countersOnlyGrowAndFollowTheRunningTotals() throws {
        let context = try Context()
        let registry = PrometheusCollectorRegistry()
        var metrics = VentilatorMetrics(registry: registry)
        let endpoint = try MetricsEndpoint(
            context: context, endpoint: "tcp://127.0.0.1:*", registry: registry, role: "ventilator", flag: "--metrics")
        let job = try JobAnnouncement(jobID: 1, kernel: try KernelName("sum"), first: 1, last: 1000, chunk: 10)
        var status = VentilatorStatus(
            job: job, dispatched: 40, completed: 25, reissued: 3, workersConnected: 2, malformedFrames: 0)
        let url = endpoint.endpoint
        _ = try exchange(endpoint, refresh: { metrics.update(status) }, request: { try httpRequest(url, path: "/metrics") })
        status.dispatched = 100
        status.completed = 100
        let response = try exchange(
            endpoint, refresh: { metrics.update(status) }, request: { try httpRequest(url, path: "/metrics") })

        #expect(response.contains("\nscattergather_ventilator_tasks_dispatched_total 100\n"), "\(response)")
        #expect(response.contains("\nscattergather_ventilator_tasks_reissued_total 3\n"))
        #expect(response.contains("\nscattergather_ventilator_job_progress_ratio 1.0\n"))
        #expect(response.contains("\nscattergather_ventilator_workers_connected 2.0\n"))
    }

    @Test(arguments: [
        ("GET /other HTTP/1.0\r\n\r\n", "HTTP/1.1 404 Not Found"),
        ("POST /metrics HTTP/1.0\r\n\r\n", "HTTP/1.1 405 Method Not Allowed"),
        ("hello\r\n\r\n", "HTTP/1.1 400 Bad Request"),
        ("GET /metrics HTTP/1.0\r\n" + String(repeating: "X-Padding: 0123456789\r\n", count: 500), "HTTP/1.1 431"),
    ])
    func requestsOtherThanAScrapeGetAClearStatus(request: String, status: String) throws {
        let context = try Context()
        let endpoint = try MetricsEndpoint(
            context: context, endpoint: "tcp://127.0.0.1:*", registry: PrometheusCollectorRegistry(), role: "sink",
            flag: "--metrics")
        let url = endpoint.endpoint
        let response = try exchange(endpoint) { try httpRequest(url, path: "", rawRequest: request) }
        #expect(response.hasPrefix(status), "\(response)")
        #expect(endpoint.requestsServed == 1)
    }

    @Test func aRequestHeadIsReadOnlyOnceComplete() throws {
        #expect(HTTPRequestHead(Array("GET /metrics HTTP/1.1\r\nHost: a\r\n".utf8)) == nil)
        #expect(
            HTTPRequestHead(Array("GET /metrics HTTP/1.1\r\nHost: a\r\n\r\n".utf8)) == .request(method: "GET", path: "/metrics"))
        #expect(HTTPRequestHead(Array("GET metrics HTTP/1.1\r\n\r\n".utf8)) == .invalid)
    }

    @Test func aTakenPortIsABindErrorNamingTheFlag() throws {
        let context = try Context()
        let first = try MetricsEndpoint(
            context: context, endpoint: "tcp://127.0.0.1:*", registry: PrometheusCollectorRegistry(), role: "sink",
            flag: "--metrics")
        let error = #expect(throws: PipelineError.self) {
            try MetricsEndpoint(
                context: context, endpoint: first.endpoint, registry: PrometheusCollectorRegistry(), role: "sink",
                flag: "--metrics")
        }
        #expect(error?.code == .bind)
        #expect(error?.description.contains("--metrics") == true)
    }

    /// Serves until `done` says stop or `timeout` passes.
    private func serve(_ endpoint: MetricsEndpoint, for timeout: Duration, until done: () -> Bool = { false }) {
        let deadline = ContinuousClock.now + timeout
        while !done() && ContinuousClock.now < deadline {
            endpoint.serve(refresh: {})
            Thread.sleep(forTimeInterval: 0.001)
        }
    }

    /// Idle connections, as many as an attacker likes: the endpoint keeps at most its cap open, closes each after
    /// the idle timeout, and a scrape among them is answered.
    @Test func idleConnectionsAreCappedAndTimedOutAndAScrapeStillGetsThrough() throws {
        let context = try Context()
        let endpoint = try MetricsEndpoint(
            context: context, endpoint: "tcp://127.0.0.1:*", registry: PrometheusCollectorRegistry(), role: "sink",
            flag: "--metrics", idleTimeout: .milliseconds(500))
        let attacker = RawConnections()
        #expect(attacker.open(100, to: endpoint.endpoint) == 100)
        serve(endpoint, for: .seconds(5)) { attacker.closedByServer() >= 100 - MetricsEndpoint.maxConnections }
        #expect(endpoint.openConnections <= MetricsEndpoint.maxConnections)
        #expect(attacker.closedByServer() >= 100 - MetricsEndpoint.maxConnections)

        let url = endpoint.endpoint
        let response = try exchange(endpoint, request: { try httpRequest(url, path: "/metrics") })
        #expect(response.hasPrefix("HTTP/1.1 200 OK"), "\(response)")

        serve(endpoint, for: .seconds(5)) { attacker.closedByServer() == 100 }
        #expect(attacker.closedByServer() == 100, "idle connections outlived the timeout")
        #expect(endpoint.openConnections == 0)
    }

    /// A request that arrives a byte at a time is answered like any other, and one that never ends is timed out.
    @Test func aRequestDrippedByteByByteIsAnsweredAndAStalledOneTimedOut() throws {
        let context = try Context()
        let endpoint = try MetricsEndpoint(
            context: context, endpoint: "tcp://127.0.0.1:*", registry: PrometheusCollectorRegistry(), role: "sink",
            flag: "--metrics", idleTimeout: .seconds(3))
        let client = RawConnections()
        #expect(client.open(1, to: endpoint.endpoint) == 1)
        let stalled = RawConnections()
        #expect(stalled.open(1, to: endpoint.endpoint) == 1)
        stalled.send(Array("GET /metr".utf8))
        for byte in Array("GET /metrics HTTP/1.0\r\nHost: x\r\n\r\n".utf8) {
            client.send([byte])
            serve(endpoint, for: .milliseconds(2))
        }
        serve(endpoint, for: .seconds(2)) { client.closedByServer() == 1 }
        #expect(client.closedByServer() == 1)
        #expect(endpoint.requestsServed == 1)
        serve(endpoint, for: .seconds(10)) { stalled.closedByServer() == 1 }
        #expect(stalled.closedByServer() == 1, "a request that never ends must be closed after the idle timeout")
        #expect(endpoint.requestsServed == 2)  // the 408
    }

    /// A scraper that connects among a full house of dripping connections, and whose request comes a loop after
    /// its connection, is answered: a connection is never closed for room before its request had time to arrive.
    @Test func aScraperWhoseRequestComesLateIsAnsweredAmongDrippingConnections() throws {
        let context = try Context()
        let endpoint = try MetricsEndpoint(
            context: context, endpoint: "tcp://127.0.0.1:*", registry: PrometheusCollectorRegistry(), role: "sink",
            flag: "--metrics")
        let drippers = RawConnections()
        #expect(drippers.open(MetricsEndpoint.maxConnections, to: endpoint.endpoint) == MetricsEndpoint.maxConnections)
        drippers.send(Array("G".utf8))
        let scraper = RawConnections()
        #expect(scraper.open(1, to: endpoint.endpoint) == 1)
        Thread.sleep(forTimeInterval: 0.05)
        // Every connection opens, and every dripper's byte arrives, before the scraper's request.
        serve(endpoint, for: .milliseconds(50))
        #expect(scraper.closedByServer() == 0, "the scraper was closed before its request could arrive")
        scraper.send(Array("GET /metrics HTTP/1.0\r\n\r\n".utf8))
        serve(endpoint, for: .seconds(5)) { scraper.closedByServer() == 1 }
        #expect(endpoint.requestsServed == 1, "the scraper's request was not answered")
        #expect(endpoint.openConnections <= MetricsEndpoint.maxConnections)
    }
}
