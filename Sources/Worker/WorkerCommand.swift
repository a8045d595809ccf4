import ArgumentParser
import CommandSupport
import Logging
import Pipeline
import PipelineCore
import ZeroMQ

@main
struct WorkerCommand: ParsableCommand {
    static let environment = EnvironmentOptions(role: "worker", arguments: WorkerOptions.self)

    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Pull range tasks from ventilators, compute them, and push the partial results to the sink.",
        discussion: """
            A worker serves one job after another until SIGINT or SIGTERM, then finishes the task in hand and exits. \
            Start as many as you like, at any time: a worker that joins mid-job gets a share of the remaining tasks.

            \(environment.helpText)
            """)

    static func main() { main(environment: environment) }

    @OptionGroup var options: WorkerOptions

    func run() throws {
        try options.run()
    }
}

/// Every option of `worker`, one group, so the environment's variables can be derived from them.
struct WorkerOptions: ParsableArguments {

    @Option(help: "A ventilator's task endpoint to connect to; repeat to serve several ventilators.")
    var tasks: [String] = [DefaultEndpoints.tasks]

    @Option(help: "The sink's result endpoint.")
    var results = DefaultEndpoints.results

    @Option(help: "This worker's id in results and the sink's report (hexadecimal). Default: random.")
    var id: String?

    @OptionGroup var keyPair: KeyPairOption
    @OptionGroup var ventilatorKey: VentilatorKeyOption
    @OptionGroup var sinkKey: SinkKeyOption
    @OptionGroup var process: ProcessOptions

    func validate() throws {
        for endpoint in tasks {
            if let problem = EndpointArgument.problem(with: endpoint, for: .connect) {
                throw ValidationError("--tasks: \(problem)")
            }
        }
        if let problem = EndpointArgument.problem(with: results, for: .connect) { throw ValidationError("--results: \(problem)") }
        if let id, UInt64(id, radix: 16) == nil || UInt64(id, radix: 16) == 0 {
            throw ValidationError("--id '\(id)' is not a non-zero hexadecimal number of at most 16 digits")
        }
        try curve.check()
    }

    /// The CURVE flags, checked together; their files are read once, by ``run()``.
    var curve: CurveFlags {
        CurveFlags(
            keys: keyPair.keys,
            companions: [
                .init("--ventilator-key", ventilatorKey.ventilatorKey, what: "the ventilator's public key"),
                .init("--sink-key", sinkKey.sinkKey, what: "the sink's"),
            ])
    }

    func run() throws {
        let logger = prepareProcess(label: "worker", options: process)
        var configuration = WorkerConfiguration()
        configuration.security = try curve.security()
        configuration.tasksEndpoints = tasks
        configuration.resultsEndpoint = results
        if let id { configuration.workerID = UInt64(id, radix: 16)! }
        try reportingFailures(of: "worker") {
            let context = try Context()
            let worker = try Worker(context: context, configuration: configuration, logger: logger)
            printError("worker \(String(worker.workerID, radix: 16)): tasks \(tasks.joined(separator: ", ")) results \(results)")
            let report = try worker.run(stop: processStopFlag)
            printError(
                "worker \(String(worker.workerID, radix: 16)): stopped after \(report.tasks) tasks, \(report.elements) elements, "
                    + "\(report.rejected) frames rejected")
        }
    }
}
