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
        var partials: [Int128] = []
        let elapsed = evaluate(tasks, into: &partials)
        let first = results.count
        for (task, partial) in zip(tasks, partials) {
            // A task holds at most 2^64 - 1 elements (a job's chunk is a UInt64), and at least 1 (lo <= hi is
            // checked by the decoder), so the result is valid; should one not be, it is dropped, not a trap.
            guard
                let result = try? TaskResult(
                    jobID: task.jobID, taskID: task.taskID, workerID: workerID, partial: partial,
                    elementCount: UInt64(clamping: task.elementCount), computeNanoseconds: 0)
            else { continue }
            results.append(result)
        }
        results.spread(elapsed, from: first)
    }

    /// Computes each task's value into `partials` (replacing what it held), in order; returns the time it took.
    ///
    /// Two clock reads a batch, not one a task (with one-element tasks that read was a tenth of the worker's time):
    /// the batch's time is spread evenly over its results, which is all the sink does with it (it sums each worker's
    /// busy time). A batch holds about 16 ms of work, or a single longer task timed exactly.
    func evaluate(_ tasks: [RangeTask], into partials: inout [Int128]) -> Duration {
        partials.removeAll(keepingCapacity: true)
        let start = ContinuousClock.now
        for task in tasks { partials.append(kernel.evaluate(lo: task.lo, hi: task.hi)) }
        return ContinuousClock.now - start
    }

    func shutdown() {}
}

extension [TaskResult] {
    /// Spreads `elapsed` evenly over the results from index `first` on (the remainder to the last), so that
    /// their compute times sum to it.
    mutating func spread(_ elapsed: Duration, from first: Int) {
        let count = UInt64(self.count - first)
        guard count > 0 else { return }
        let total = elapsed.wholeNanoseconds
        for index in first..<self.count { self[index].computeNanoseconds = total / count }
        self[self.count - 1].computeNanoseconds += total % count
    }
}
