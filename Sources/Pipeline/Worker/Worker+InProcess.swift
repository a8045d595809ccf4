import PipelineCore
import Wire

/// A Swift kernel's batch: its values go into a reused array and straight into the result frame, with no array of
/// results between (with one-element tasks that array was 128 KB a batch, written and read again).
extension Worker {
    func computeInProcess(_ batch: TaskBatch, with kernel: SwiftKernelRunner, stop: StopFlag) throws(PipelineError) {
        let elapsed = kernel.evaluate(batch.tasks, into: &partials)
        report.tasks += UInt64(batch.tasks.count)
        for task in batch.tasks { report.elements += UInt128(UInt64(clamping: task.elementCount)) }
        ResultBatch.encode(
            batch.tasks, partials: partials, workerID: workerID, nanoseconds: elapsed.wholeNanoseconds, into: &sendBuffer)
        try send(sendBuffer, what: "\(batch.tasks.count) results of job \(batch.jobID)", stop: stop)
    }
}
