import Kernels
import Logging
import Wire

/// The kernels a worker offers: its Swift kernels and its command kernels, by name.
extension Worker {
    static func runners(for configuration: WorkerConfiguration, logger: Logger) throws(PipelineError)
        -> ([KernelName], [KernelName: KernelRunner])
    {
        var names: [KernelName] = []
        var runners: [KernelName: KernelRunner] = [:]
        func add(_ runner: KernelRunner) throws(PipelineError) {
            guard runners[runner.name] == nil else {
                throw PipelineError(.kernel, "two kernels are named '\(runner.name)'; give each a name of its own")
            }
            names.append(runner.name)
            runners[runner.name] = runner
        }
        for kernel in configuration.kernels {
            let runner: SwiftKernelRunner
            do {
                runner = try SwiftKernelRunner(kernel)
            } catch {
                throw PipelineError(.kernel, "the Swift kernel \(kernel) has an invalid name: \(error.detail)")
            }
            try add(.inProcess(runner))
        }
        for command in configuration.commandKernels {
            try add(.command(try CommandKernelRunner(command, taskTimeout: configuration.taskTimeout, logger: logger)))
        }
        guard (1...Credit.maxKernels).contains(names.count) else {
            throw PipelineError(.kernel, "a worker offers 1 to \(Credit.maxKernels) kernels, not \(names.count)")
        }
        return (names, runners)
    }
}
