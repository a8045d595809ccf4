import Kernels
import PipelineCore
import Wire

/// How a worker computes the tasks of one kernel: in its own process (a Swift `Kernel`) or in a child
/// process over the line protocol (``CommandKernelRunner``).
enum KernelRunner {
    /// A Swift kernel, called in the worker's own thread; its values go straight into the result frame
    /// (`Worker+Intake`).
    case inProcess(SwiftKernelRunner)
    /// A program, fed a batch's tasks as lines; it yields results one by one, and failures.
    case command(CommandKernelRunner)

    var name: KernelName {
        switch self {
        case .inProcess(let runner): runner.name
        case .command(let runner): runner.name
        }
    }

    /// Releases what the runner holds (a child process); called once, when the worker stops.
    func shutdown() {
        if case .command(let runner) = self { runner.shutdown() }
    }
}

/// A Swift kernel, called in the worker's own thread.
final class SwiftKernelRunner {
    let name: KernelName
    private let kernel: any Kernel.Type

    init(_ kernel: any Kernel.Type) throws(WireError) {
        name = try KernelName(kernel.name)
        self.kernel = kernel
    }

    /// Computes each task's value into `partials` (replacing what it held), in order; returns the time it took.
    ///
    /// Two clock reads a batch, not one a task (with one-element tasks that read was a tenth of the worker's time):
    /// the batch's time is spread evenly over its results, which is all the sink does with it (it sums each worker's
    /// busy time). A batch holds about 16 ms of work, or a single longer task timed exactly.
    func evaluate(_ tasks: TaskBatchFrame, into partials: inout [Int128]) -> Duration {
        partials.removeAll(keepingCapacity: true)
        let start = ContinuousClock.now
        for task in tasks { partials.append(kernel.evaluate(lo: task.lo, hi: task.hi)) }
        return ContinuousClock.now - start
    }
}
