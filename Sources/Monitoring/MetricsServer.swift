public import Pipeline
import PipelineCore
public import Prometheus
import ZeroMQ

/// A role's metrics, brought up to date from the role's status when they are scraped.
public protocol RoleMetrics {
    /// What the role reports about itself.
    associatedtype Status
    /// Registers every metric in `registry`.
    init(registry: PrometheusCollectorRegistry)
    /// Brings every metric up to `status`.
    mutating func update(_ status: Status)
}

extension SinkMetrics: RoleMetrics {}
extension VentilatorMetrics: RoleMetrics {}

/// What `--metrics` starts: a role's metrics and the HTTP endpoint that serves them.
public final class MetricsServer<Metrics: RoleMetrics> {
    /// Where to scrape, e.g. `http://127.0.0.1:9102/metrics`.
    public let url: String
    private let context: Context
    private let endpoint: MetricsEndpoint
    private var metrics: Metrics

    /// Binds `endpoint` (`tcp://HOST:PORT`); `role` and `flag` name what failed in a bind error.
    ///
    /// The endpoint has a libzmq context of its own, so whatever its clients send is read by an I/O thread of its
    /// own, never by the one that carries the role's tasks and results.
    public init(endpoint: String, role: String, flag: String = "--metrics") throws(PipelineError) {
        do {
            context = try Context()
        } catch {
            throw PipelineError(.messaging, "libzmq failed while making the metrics context: \(error)", underlying: error)
        }
        let registry = PrometheusCollectorRegistry()
        metrics = Metrics(registry: registry)
        self.endpoint = try MetricsEndpoint(context: context, endpoint: endpoint, registry: registry, role: role, flag: flag)
        url = "http://\(self.endpoint.endpoint.dropFirst("tcp://".count))/metrics"
    }

    /// Answers the scrapes waiting, with the metrics as of `status`; never blocks.
    public func serve(_ status: Metrics.Status) {
        endpoint.serve { metrics.update(status) }
    }
}
