import ArgumentParser
import CommandSupport
import Kernels
import Logging
import Pipeline
import PipelineCore
import Wire
import ZeroMQ

#if canImport(Glibc)
    import Glibc
#endif

/// The `worker` command's arguments; ``ScatterGatherWorker/main(adding:)`` runs it.
struct WorkerCommand: ParsableCommand {
    static let environment = EnvironmentOptions(role: "worker", arguments: WorkerOptions.self, oneValuePerLine: ["command"])

    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Pull range tasks from ventilators, compute them, and push the partial results to the sink.",
        discussion: """
            A worker serves one job after another until SIGINT or SIGTERM, then finishes the task in hand and exits. \
            Start as many as you like, at any time: a worker that joins mid-job gets a share of the remaining tasks.

            Built-in kernels: \(KernelRegistry.builtIn.map { "\($0.name) (\($0.summary))" }.joined(separator: "; ")). \
            --command adds a kernel that is any program: the worker starts it once and writes it one line per task, \
            'TASK_ID LO HI', and reads one line per result, 'TASK_ID VALUE' (see topology.md, Command kernels). \
            In the environment, give one NAME=CMDLINE per line.

            \(environment.helpText)
            """)

    @OptionGroup var options: WorkerOptions

}

/// Every option of `worker`, one group, so the environment's variables can be derived from them.
struct WorkerOptions: ParsableArguments {

    @Option(help: "A ventilator's task endpoint to connect to; repeat to serve several ventilators.")
    var tasks: [String] = [DefaultEndpoints.tasks]

    @Option(help: "The sink's result endpoint.")
    var results = DefaultEndpoints.results

    @Option(help: "This worker's id in results and the sink's report (hexadecimal). Default: random.")
    var id: String?

    @Option(
        help: ArgumentHelp(
            "Derive the id from this host's name and an instance name (the unit's %i): unique across hosts, and its "
                + "last 4 hex digits are the instance number.",
            valueName: "name"))
    var instance: String?

    @Option(
        name: .customLong("command"),
        help: ArgumentHelp(
            "Add a kernel NAME that is a program, fed tasks over stdin/stdout (repeat for several). Example: "
                + "--command count=\"python3 Examples/line_kernel.py\".",
            valueName: "name=cmdline"))
    var commands: [String] = []

    @Option(
        name: .customLong("task-timeout"), parsing: .unconditional,
        help: "Seconds a --command kernel may take to answer a task before it is killed, restarted, and the task retried.")
    var taskTimeout: Double = 60

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
        if id != nil && instance != nil { throw ValidationError("give --id or --instance, not both") }
        if let id, UInt64(id, radix: 16) == nil || UInt64(id, radix: 16) == 0 {
            throw ValidationError("--id '\(id)' is not a non-zero hexadecimal number of at most 16 digits")
        }
        _ = try commandKernels()
        guard taskTimeout > 0, taskTimeout.isFinite else {
            throw ValidationError("--task-timeout must be a positive number of seconds")
        }
        try curve.check()
    }

    /// The `--command` kernels, or a usage error naming the one that is not `NAME=CMDLINE`.
    func commandKernels() throws -> [CommandKernel] {
        try commands.map { text in
            guard let equals = text.firstIndex(of: "=") else {
                throw ValidationError("--command '\(text)': write NAME=CMDLINE, e.g. --command count=\"python3 count.py\"")
            }
            let name: KernelName
            do {
                name = try KernelName(String(text[..<equals]))
            } catch {
                throw ValidationError("--command '\(text)': \(KernelName.rule)")
            }
            let commandLine = String(text[text.index(after: equals)...])
            do {
                return CommandKernel(name: name, arguments: try CommandWords.split(commandLine), commandLine: commandLine)
            } catch {
                throw ValidationError("--command '\(text)': the command line has \(error)")
            }
        }
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

    func run(adding kernels: [any Kernel.Type]) throws {
        let logger = prepareProcess(label: "worker", options: process)
        var configuration = WorkerConfiguration()
        configuration.kernels = KernelRegistry.builtIn + kernels
        configuration.commandKernels = try commandKernels()
        configuration.taskTimeout = .seconds(argument: taskTimeout)
        configuration.security = try curve.security(announcingAs: "worker")
        configuration.tasksEndpoints = tasks
        configuration.resultsEndpoint = results
        if let id, let value = UInt64(id, radix: 16) { configuration.workerID = value }
        if let instance { configuration.workerID = WorkerIdentity.id(host: hostName(), instance: instance) }
        try reportingFailures(of: "worker") {
            let context = try Context()
            let worker = try Worker(context: context, configuration: configuration, logger: logger)
            printError(
                "worker \(String(worker.workerID, radix: 16)): tasks \(tasks.joined(separator: ", ")) results \(results) "
                    + "kernels \(worker.kernelNames.map(\.rawValue).joined(separator: ", "))")
            let report = try worker.run(stop: processStopFlag)
            printError(
                "worker \(String(worker.workerID, radix: 16)): stopped after \(report.tasks) tasks, \(report.elements) elements, "
                    + "\(report.rejected) frames rejected, \(report.failed) tasks failed")
        }
    }
}

/// This machine's host name, as `hostname` prints it.
func hostName() -> String {
    var buffer = [CChar](repeating: 0, count: 256)
    guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
