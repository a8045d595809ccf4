import ArgumentParser
import CommandSupport
import Logging
import Pipeline
import ZeroMQ

@main
struct WorkerCommand: ParsableCommand {
    static let environment = EnvironmentOptions(
        role: "worker",
        options: [
            ("tasks", .repeatable), ("results", .option), ("id", .option), ("keys", .option), ("ventilator-key", .option),
            ("sink-key", .option),
        ] + ProcessOptions.environment)

    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Pull range tasks from ventilators, compute them, and push the partial results to the sink.",
        discussion: """
            A worker serves one job after another until SIGINT or SIGTERM, then finishes the task in hand and exits. \
            Start as many as you like, at any time: a worker that joins mid-job gets a share of the remaining tasks.

            \(environment.helpText)
            """)

    static func main() { main(environment: environment) }

    @Option(help: "A ventilator's task endpoint to connect to; repeat to serve several ventilators.")
    var tasks: [String] = [DefaultEndpoints.tasks]

    @Option(help: "The sink's result endpoint.")
    var results = DefaultEndpoints.results

    @Option(help: "This worker's id in results and the sink's report (hexadecimal). Default: random.")
    var id: String?

    @Option(help: "This worker's CURVE key pair file (from `keygen`): turns on encryption and authentication.")
    var keys: String?

    @Option(name: .customLong("ventilator-key"), help: "With --keys: the ventilator's public key (.pub file or the key).")
    var ventilatorKey: String?

    @Option(name: .customLong("sink-key"), help: "With --keys: the sink's public key (.pub file or the key).")
    var sinkKey: String?

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
        _ = try security()
    }

    /// The CURVE settings the key flags describe; `nil` for plaintext.
    func security() throws -> CurveSecurity? {
        guard let keys else {
            if ventilatorKey != nil || sinkKey != nil { throw ValidationError("--ventilator-key and --sink-key need --keys") }
            return nil
        }
        guard let ventilatorKey, let sinkKey else {
            throw ValidationError("--keys needs --ventilator-key and --sink-key (the servers' public keys)")
        }
        do {
            return CurveSecurity(
                keys: try KeyFiles.readPair(keys, flag: "--keys"),
                sinkPublicKey: try KeyFiles.readPublicKey(sinkKey, flag: "--sink-key"),
                ventilatorPublicKey: try KeyFiles.readPublicKey(ventilatorKey, flag: "--ventilator-key"))
        } catch {
            throw ValidationError(error.description)
        }
    }

    func run() throws {
        let logger = prepareProcess(label: "worker", options: process)
        var configuration = WorkerConfiguration()
        configuration.tasksEndpoints = tasks
        configuration.resultsEndpoint = results
        if let id { configuration.workerID = UInt64(id, radix: 16)! }
        configuration.security = try security()
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
