import ArgumentParser
import CommandSupport
import Kernels
import Logging
import Monitoring
import Pipeline
import PipelineCore
import Reporting
import Wire
import ZeroMQ

@main
struct VentilatorCommand: ParsableCommand {
    static let environment = EnvironmentOptions(
        role: "ventilator", arguments: VentilatorOptions.self, alternatives: [["n"], ["from", "to"]])

    static let configuration = CommandConfiguration(
        commandName: "ventilator",
        abstract: "Split a job over [from, to] into range tasks, push them to workers, and print the sink's verified total.",
        discussion: """
            Start a sink and some workers first (or after: the ventilator waits up to --timeout for them).
            Exit status: 0 when the total is verified (or no independent answer exists), 1 when the job failed or the total \
            is wrong, 64 for bad arguments.

            \(environment.helpText)
            """)

    static func main() { main(environment: environment) }

    @OptionGroup var options: VentilatorOptions

    func run() throws {
        try options.run()
    }
}

/// Every option of `ventilator`, one group, so the environment's variables can be derived from them.
struct VentilatorOptions: ParsableArguments {

    @Option(
        parsing: .unconditional,
        help: "The range [1, N]: shorthand for --from 1 --to N. Integers may be written 1e9, 10^9 or 1_000_000_000.",
        transform: IntegerArgument.unsigned)
    var n: UInt64?

    @Option(parsing: .unconditional, help: "First element of the range (inclusive).", transform: IntegerArgument.unsigned)
    var from: UInt64?

    @Option(parsing: .unconditional, help: "Last element of the range (inclusive).", transform: IntegerArgument.unsigned)
    var to: UInt64?

    @Option(
        parsing: .unconditional, help: "Elements per task. Default: the range split into about \(JobDefaults.targetTasks) tasks.",
        transform: IntegerArgument.unsigned)
    var chunk: UInt64?

    @Option(
        help: ArgumentHelp(
            "The kernel the workers run, by name: a built-in one, or one a worker offers (--command NAME=..., or a worker built "
                + "with its own kernels). Built in: \(KernelRegistry.builtIn.map { "\($0.name): \($0.summary)" }.joined(separator: "; ")).",
            valueName: "name"))
    var kernel = SumKernel.name

    @Option(help: "How the tasks' values combine into the total: sum, min or max (exact signed 128-bit integers).")
    var reduce = Reduction.sum.description

    @Option(
        parsing: .unconditional,
        help: "The total you expect: the job is then 'verified' or 'mismatch' against it (a signed 128-bit integer).",
        transform: IntegerArgument.signed128)
    var expect: Int128?

    @Option(name: .customLong("job-id"), help: "Job id, unique per sink. Default: random.", transform: IntegerArgument.unsigned)
    var jobID: UInt64?

    @Option(help: "Endpoint to bind for pushing tasks; workers connect here.")
    var tasks = DefaultEndpoints.tasks

    @Option(help: "The sink's result endpoint, to announce the job to.")
    var results = DefaultEndpoints.results

    @Option(help: "The sink's control endpoint, for acknowledgements and the final report.")
    var control = DefaultEndpoints.control

    @Option(
        parsing: .unconditional,
        help: "Most tasks in flight (dispatched, not yet aggregated). Default: adapts to about 160 ms of work.",
        transform: IntegerArgument.unsigned)
    var window: UInt64?

    @Option(
        name: .customLong("wait-for-workers"), parsing: .unconditional,
        help: ArgumentHelp(
            "Dispatch nothing until N workers that offer the job's kernel have asked for work, so that all start "
                + "together; workers that come later still get their share. The job fails if fewer than N come "
                + "within --timeout.",
            valueName: "N"))
    var waitForWorkers: Int = 1

    @Option(parsing: .unconditional, help: "Seconds without progress before the job fails.")
    var timeout: Double = 30

    @Option(
        name: .customLong("verify-fraction"), parsing: .unconditional,
        help: ArgumentHelp(
            "The fraction of tasks (0 to 1) a second worker also computes, so the sink can compare the two results; "
                + "a worker in the minority is quarantined and its unchecked tasks recomputed. 0: off; 1: every task twice. "
                + "Each worker's first \(CrossChecks.probation) tasks are checked too.",
            valueName: "F"))
    var verifyFraction: Double = JobDefaults.verifyFraction

    @Option(
        name: .customLong("redeliver-min"), parsing: .unconditional,
        help: "Seconds: a task unacknowledged for 4x the typical latency is sent again, but never sooner than this.")
    var redeliverMinimum: Double = 1

    @Option(
        name: .customLong("redeliver-max"), parsing: .unconditional,
        help: "Seconds: ... and never later than this.")
    var redeliverMaximum: Double = 60

    @Flag(help: "Allow binding a non-loopback --tasks endpoint without keys (only on a trusted network).")
    var insecure = false

    @Flag(name: .customLong("dry-run"), help: "Check the flags, print the job's plan, and exit without connecting.")
    var dryRun = false

    @Option(help: "Serve Prometheus metrics over HTTP at this endpoint (tcp://HOST:PORT), path /metrics, while the job runs.")
    var metrics: String?

    @OptionGroup var keyPair: KeyPairOption
    @OptionGroup var allowList: AllowListOption
    @OptionGroup var sinkKey: SinkKeyOption
    @OptionGroup var process: ProcessOptions

    func validate() throws {
        if n != nil && (from != nil || to != nil) {
            throw ValidationError("--n is shorthand for --from 1 --to N; give either --n or --from/--to, not both")
        }
        if n == 0 { throw ValidationError("--n must be at least 1 (the range is [1, N])") }
        if n == nil && (from == nil || to == nil) {
            throw ValidationError("give the range: --n N, or both --from and --to")
        }
        if let from, let to, from > to {
            throw ValidationError("--from \(from) is above --to \(to); the range is inclusive and must not be empty")
        }
        if chunk == 0 { throw ValidationError("--chunk must be at least 1") }
        if window == 0 { throw ValidationError("--window must be at least 1") }
        if waitForWorkers < 1 { throw ValidationError("--wait-for-workers must be at least 1") }
        guard (0...1).contains(verifyFraction) else {
            throw ValidationError("--verify-fraction \(verifyFraction) is not between 0 (off) and 1 (every task twice)")
        }
        if (try? KernelName(kernel)) == nil {
            throw ValidationError(
                "--kernel '\(kernel)': \(KernelName.rule) (built in: \(KernelRegistry.names.joined(separator: ", ")))")
        }
        if Reduction(named: reduce) == nil {
            throw ValidationError("--reduce '\(reduce)': choose sum, min or max")
        }
        for (flag, endpoint, use) in [
            ("--tasks", tasks, EndpointArgument.Use.bind), ("--results", results, .connect), ("--control", control, .connect),
        ] {
            if let problem = EndpointArgument.problem(with: endpoint, for: use) { throw ValidationError("\(flag): \(problem)") }
        }
        if let metrics, let problem = EndpointArgument.problem(withHTTP: metrics) {
            throw ValidationError("--metrics: \(problem)")
        }
        guard timeout > 0, timeout.isFinite else { throw ValidationError("--timeout must be a positive number of seconds") }
        guard redeliverMinimum > 0, redeliverMinimum.isFinite, redeliverMaximum.isFinite, redeliverMaximum >= redeliverMinimum
        else {
            throw ValidationError("--redeliver-min must be a positive number of seconds, and --redeliver-max at least as large")
        }
        _ = try plan()
        try curve.check()
        if let problem = EndpointArgument.plaintextProblem(
            flag: "--tasks", endpoint: tasks, secured: keyPair.keys != nil, insecure: insecure)
        {
            throw ValidationError(problem)
        }
    }

    /// The CURVE flags, checked together; their files are read once, by ``run()``.
    var curve: CurveFlags {
        CurveFlags(
            keys: keyPair.keys,
            companions: [
                .init("--allow", allowList.allow, what: "the workers' public keys"),
                .init("--sink-key", sinkKey.sinkKey, what: "the sink's"),
            ])
    }

    /// The job the flags describe, or a usage error saying why there is none.
    func plan() throws -> JobAnnouncement {
        guard let first = n.map({ _ in 1 }) ?? from, let last = n ?? to else {
            throw ValidationError("give the range: --n N, or both --from and --to")
        }
        let chunk = chunk ?? JobDefaults.chunk(first: first, last: last)
        guard let name = try? KernelName(kernel), let reduction = Reduction(named: reduce) else {
            throw ValidationError("--kernel '\(kernel)' or --reduce '\(reduce)' is not valid")
        }
        // The sink checks the total against --expect, or else against a built-in kernel's known sum.
        let known = reduction == .sum ? KernelRegistry.knownSum(of: kernel, first: first, last: last) : nil
        let answer: JobAnnouncement.Answer = expect.map { .submitted($0) } ?? known.map { .known($0) } ?? .none
        let job: JobAnnouncement
        do {
            job = try JobAnnouncement(
                jobID: jobID ?? UInt64.random(in: 1...UInt64.max), kernel: name, reduction: reduction, answer: answer,
                first: first, last: last, chunk: chunk, crossChecks: CrossCheckPlan(fraction: verifyFraction))
        } catch {
            throw ValidationError("--chunk \(chunk): \(error.detail)")
        }
        guard job.taskCount <= JobLimits.maxTasks else {
            throw ValidationError(
                "--chunk \(chunk) makes \(job.taskCount) tasks; at most \(JobLimits.maxTasks) per job: raise --chunk")
        }
        return job
    }

    func run() throws {
        let job = try plan()
        if dryRun {
            printLine("job \(job.jobID): \(ReportText.jobLine(job))")
            return
        }
        let logger = prepareProcess(label: "ventilator", options: process)
        var configuration = VentilatorConfiguration(job: job)
        configuration.security = try curve.security(announcingAs: "ventilator")
        configuration.tasksEndpoint = tasks
        configuration.resultsEndpoint = results
        configuration.controlEndpoint = control
        configuration.window = window
        configuration.waitForWorkers = waitForWorkers
        configuration.timeout = .seconds(argument: timeout)
        configuration.redeliverAfterMinimum = .seconds(argument: redeliverMinimum)
        configuration.redeliverAfterMaximum = .seconds(argument: redeliverMaximum)
        try reportingFailures(of: "ventilator") {
            let context = try Context()
            let ventilator = try Ventilator(context: context, configuration: configuration, logger: logger)
            printError("ventilator: tasks \(ventilator.tasksEndpoint)")
            let resume = ResumeCommand.line(
                arguments: CommandLine.arguments, jobID: job.jobID, tasksEndpoint: ventilator.tasksEndpoint)
            printError("ventilator: job \(job.jobID); should this ventilator die, resume the job with: \(resume)")
            let metricsServer = try metrics.map { (metrics) throws(PipelineError) in
                try MetricsServer<VentilatorMetrics>(endpoint: metrics, role: "ventilator")
            }
            if let metricsServer { printError("ventilator: metrics \(metricsServer.url)") }
            let report = try ventilator.run(stop: processStopFlag) { status in metricsServer?.serve(status) }
            printLine(ReportText.lines(for: report, job: configuration.job))
            printLine(
                ReportText.submitterLines(
                    dispatchToReport: ventilator.dispatchToReport, completed: ventilator.completed,
                    reissued: ventilator.reissued, workers: ventilator.connectedWorkers, latency: ventilator.latency.histogram))
            if !report.outcome.isSuccess { throw ExitCode(1) }
        }
    }
}
