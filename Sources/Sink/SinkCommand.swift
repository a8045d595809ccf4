import ArgumentParser
import CommandSupport
import Logging
import Monitoring
import Pipeline
import PipelineCore
import Reporting
import ZeroMQ

@main
struct SinkCommand: ParsableCommand {
    static let environment = EnvironmentOptions(role: "sink", arguments: SinkOptions.self)

    static let configuration = CommandConfiguration(
        commandName: "sink",
        abstract: "Collect workers' partial results, aggregate each task exactly once, and report each job's verified total.",
        discussion: """
            The sink learns each job from its ventilator. Exit status: 0 when every job's total is verified \
            (or no independent answer exists), 1 when a job failed, timed out or its total is wrong, 64 for bad arguments.

            \(environment.helpText)
            """)

    static func main() { main(environment: environment) }

    @OptionGroup var options: SinkOptions

    func run() throws {
        try options.run()
    }
}

/// Every option of `sink`, one group, so the environment's variables can be derived from them.
struct SinkOptions: ParsableArguments {

    @Option(help: "Endpoint to bind for results (workers) and job announcements (ventilators).")
    var results = DefaultEndpoints.results

    @Option(help: "Endpoint to bind for publishing acknowledgements and job reports (ventilators subscribe).")
    var control = DefaultEndpoints.control

    @Option(
        parsing: .unconditional, help: "Exit after this many jobs have ended; 0 serves forever.",
        transform: { try IntegerArgument.parse($0) as Int })
    var jobs = 1

    @Option(parsing: .unconditional, help: "Seconds without a new result before a job fails.")
    var timeout: Double = 30

    @Flag(help: "Allow binding non-loopback endpoints without keys (only on a trusted network).")
    var insecure = false

    @Option(
        help:
            "Journal accepted work to this file; a sink restarted with the same journal resumes its jobs, and SIGTERM pauses them there instead of failing them."
    )
    var journal: String?

    @Flag(
        name: .customLong("journal-sync"),
        help:
            "With --journal: sync each record to disk before acknowledging it, so accepted work survives a machine crash too (slower)."
    )
    var journalSync = false

    @Option(
        help:
            "Progress on standard error: live (a line redrawn in place), plain (a line per job every --progress-interval), off, or auto (live on a terminal, else plain)."
    )
    var progress: ProgressDisplay.Mode = .auto

    @Option(name: .customLong("progress-interval"), parsing: .unconditional, help: "Seconds between plain progress lines.")
    var progressInterval: Double = 10

    @Flag(help: "Print each job's final report as one line of JSON (with per-worker figures) instead of text.")
    var json = false

    @Option(help: "Serve Prometheus metrics over HTTP at this endpoint (tcp://HOST:PORT), path /metrics. Default: off.")
    var metrics: String?

    @OptionGroup var keyPair: KeyPairOption
    @OptionGroup var allowList: AllowListOption
    @OptionGroup var process: ProcessOptions

    func validate() throws {
        for (flag, endpoint) in [("--results", results), ("--control", control)] {
            if let problem = EndpointArgument.problem(with: endpoint, for: .bind) { throw ValidationError("\(flag): \(problem)") }
        }
        if let metrics, let problem = EndpointArgument.problem(withHTTP: metrics) {
            throw ValidationError("--metrics: \(problem)")
        }
        if jobs < 0 { throw ValidationError("--jobs must be 0 (serve forever) or more") }
        guard timeout > 0, timeout.isFinite else { throw ValidationError("--timeout must be a positive number of seconds") }
        guard progressInterval > 0, progressInterval.isFinite else {
            throw ValidationError("--progress-interval must be a positive number of seconds")
        }
        if journalSync && journal == nil { throw ValidationError("--journal-sync needs --journal") }
        try curve.check()
        for (flag, endpoint) in [("--results", results), ("--control", control)] {
            if let problem = EndpointArgument.plaintextProblem(
                flag: flag, endpoint: endpoint, secured: keyPair.keys != nil, insecure: insecure)
            {
                throw ValidationError(problem)
            }
        }
    }

    /// The CURVE flags, checked together; their files are read once, by ``run()``.
    var curve: CurveFlags {
        CurveFlags(
            keys: keyPair.keys,
            companions: [.init("--allow", allowList.allow, what: "the workers' and ventilators' public keys")])
    }

    func run() throws {
        let logger = prepareProcess(label: "sink", options: process)
        var configuration = SinkConfiguration()
        configuration.security = try curve.security(announcingAs: "sink")
        configuration.resultsEndpoint = results
        configuration.controlEndpoint = control
        configuration.jobs = jobs
        configuration.timeout = .seconds(argument: timeout)
        configuration.journalPath = journal
        configuration.journalSync = journalSync
        let display = ProgressDisplay(mode: progress, interval: .seconds(argument: progressInterval))
        try reportingFailures(of: "sink") {
            let context = try Context()
            let sink = try Sink(context: context, configuration: configuration, logger: logger)
            printError("sink: results \(sink.resultsEndpoint) control \(sink.controlEndpoint)")
            let metricsServer = try metrics.map { (metrics) throws(PipelineError) in
                try MetricsServer<SinkMetrics>(endpoint: metrics, role: "sink")
            }
            if let metricsServer { printError("sink: metrics \(metricsServer.url)") }
            let summaries = try sink.run(stop: processStopFlag) { status in
                display.update(status)
                metricsServer?.serve(status)
            } onReport: { summary in
                display.clear()
                printLine(json ? summary.json : summary.text)
            }
            if sink.malformedFrames + sink.foreignResults > 0 {
                printError(
                    "sink: dropped \(sink.malformedFrames) malformed frames, \(sink.foreignResults) results of unknown jobs")
            }
            if sink.paused {
                printError(
                    "sink: paused by signal with \(sink.activeJobs) job(s) kept in \(journal ?? "the journal"); "
                        + "start the sink again with the same --journal to resume them")
            } else if processStopFlag.isRequested {
                printError("sink: stopped by signal after \(summaries.count) job(s)")
                throw ExitCode(1)
            }
            if !summaries.allSatisfy(\.outcome.isSuccess) { throw ExitCode(1) }
        }
    }
}
