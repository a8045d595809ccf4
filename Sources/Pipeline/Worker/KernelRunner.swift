import Kernels
import PipelineCore
import Wire

/// How a worker computes the tasks of one kernel: in its own process (a Swift `Kernel`) or in a child
/// process over the line protocol (``CommandKernelRunner``).
protocol KernelRunner: AnyObject {
    var name: KernelName { get }
    /// Computes one batch's tasks: appends a result for each task it computed (in any order), and the task and a
    /// reason for each that failed on every try.
    func run(
        _ tasks: [RangeTask], workerID: UInt64, stop: StopFlag, into results: inout [TaskResult],
        failures: inout [(task: RangeTask, reason: String)])
    /// Releases what the runner holds (a child process); called once, when the worker stops.
    func shutdown()
}

/// A Swift kernel, called in the worker's own thread.
final class SwiftKernelRunner: KernelRunner {
    let name: KernelName
    private let kernel: any Kernel.Type

    init(_ kernel: any Kernel.Type) throws(WireError) {
        name = try KernelName(kernel.name)
        self.kernel = kernel
    }

    func run(
        _ tasks: [RangeTask], workerID: UInt64, stop: StopFlag, into results: inout [TaskResult],
        failures: inout [(task: RangeTask, reason: String)]
    ) {
        // One clock read per task: each task's time runs from the previous task's end (with one-element tasks, the
        // second read was a tenth of the machine's time at 300 workers).
        var previous = ContinuousClock.now
        for task in tasks {
            let partial = kernel.evaluate(lo: task.lo, hi: task.hi)
            let end = ContinuousClock.now
            let elapsed = end - previous
            previous = end
            // A task holds at most 2^64 - 1 elements (a job's chunk is a UInt64), and at least 1 (lo <= hi is
            // checked by the decoder), so the result is valid; should one not be, it is dropped, not a trap.
            guard
                let result = try? TaskResult(
                    jobID: task.jobID, taskID: task.taskID, workerID: workerID, partial: partial,
                    elementCount: UInt64(clamping: task.elementCount), computeNanoseconds: elapsed.wholeNanoseconds)
            else { continue }
            results.append(result)
        }
    }

    func shutdown() {}
}
