import PipelineCore
import Prometheus

/// A Prometheus counter fed from a running total the role keeps itself: each refresh adds what is new.
struct MonotonicCounter {
    let counter: Counter
    private var reported: UInt64 = 0

    /// Registers `scattergather_SUBSYSTEM_NAME_total`.
    init(_ registry: PrometheusCollectorRegistry, subsystem: String, name: String, labels: [(String, String)] = [], help: String)
    {
        counter = registry.makeCounter(
            descriptor: MetricNameDescriptor(
                namespace: "scattergather", subsystem: subsystem, metricName: name, unitName: "total", helpText: help),
            labels: labels)
    }

    /// Brings the counter up to `total`; a total lower than before (a restarted source) adds nothing.
    mutating func update(to total: UInt64) {
        if total > reported {
            counter.increment(by: Int64(clamping: total - reported))
            reported = total
        }
    }
}

extension PrometheusCollectorRegistry {
    /// Registers the gauge `scattergather_SUBSYSTEM_NAME[_UNIT]`.
    func gauge(subsystem: String, name: String, unit: String = "", help: String) -> Gauge {
        makeGauge(
            descriptor: MetricNameDescriptor(
                namespace: "scattergather", subsystem: subsystem, metricName: name, unitName: unit, helpText: help))
    }
}
