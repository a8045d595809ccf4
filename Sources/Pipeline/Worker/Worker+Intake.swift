import PipelineCore
import Wire
import ZeroMQ

/// A task frame's way through a worker: checked in place; a Swift kernel's batch computed straight from the frame
/// into the result frame, with no array of tasks or of results between (with one-element tasks those were 64 KB and
/// 128 KB a batch, written and read again); a command kernel's batch copied out for its child process.
extension Worker {
    /// What is left to do with a frame once ``take(_:hasMore:from:)`` has read it.
    enum Taken {
        /// Nothing: it was dropped (malformed, or for a kernel this worker lacks).
        case dropped
        /// A Swift kernel's results, in `sendBuffer`, to send.
        case results(count: Int, jobID: UInt64)
        /// A batch for a command kernel's child process.
        case command(TaskBatch, CommandKernelRunner)
    }

    /// Reads a frame from a ventilator's `socket`; a Swift kernel's batch is computed while the frame is in hand.
    func take(_ frame: UnsafeRawBufferPointer, hasMore: Bool, from socket: Socket) -> Taken {
        if hasMore {
            _ = try? socket.discardRemainingFrames()
            report.rejected += 1
            warnings.warn(logger, "dropped a multipart message; task batches are single frames")
            return .dropped
        }
        let batch: TaskBatchFrame
        do {
            batch = try TaskBatchFrame(frame)
        } catch {
            report.rejected += 1
            warnings.warn(logger, "dropped a malformed task frame of \(frame.count) bytes: \(error)")
            return .dropped
        }
        guard let runner = runners[batch.kernel] else {
            report.rejected += 1
            warnings.warn(
                logger,
                "dropped \(batch.count) tasks of job \(batch.jobID): this worker has no kernel '\(batch.kernel)' "
                    + "(it offers \(kernelNames.map(\.rawValue).joined(separator: ", ")))")
            return .dropped
        }
        if batch.jobID != currentJob {
            currentJob = batch.jobID
            let first = batch[0]
            logger.info("job \(batch.jobID), kernel '\(batch.kernel)': first task \(first.taskID), [\(first.lo), \(first.hi)]")
        }
        switch runner {
        case .inProcess(let kernel):
            let elapsed = kernel.evaluate(batch, into: &partials)
            report.tasks += UInt64(batch.count)
            for task in batch { report.elements += UInt128(UInt64(clamping: task.elementCount)) }
            ResultBatch.encode(
                batch, partials: partials, workerID: workerID, nanoseconds: elapsed.wholeNanoseconds, into: &sendBuffer)
            return .results(count: batch.count, jobID: batch.jobID)
        case .command(let command):
            return .command(TaskBatch(copying: batch), command)
        }
    }

    /// Does what ``take(_:hasMore:from:)`` left: sends a Swift kernel's results, or computes a command kernel's batch
    /// and sends its results and failures.
    func finish(_ taken: Taken, stop: StopFlag) throws(PipelineError) {
        switch taken {
        case .dropped:
            return
        case .results(let count, let jobID):
            try send(sendBuffer, what: "\(count) results of job \(jobID)", stop: stop)
        case .command(let batch, let command):
            commandResults.removeAll(keepingCapacity: true)
            failures.removeAll(keepingCapacity: true)
            command.run(batch.tasks, workerID: workerID, stop: stop, into: &commandResults, failures: &failures)
            report.tasks += UInt64(commandResults.count)
            for result in commandResults { report.elements += UInt128(result.elementCount) }
            for (task, reason) in failures {
                report.failed += 1
                guard let failure = try? TaskFailure(workerID: workerID, task: task, reason: reason) else { continue }
                failure.encode(into: &sendBuffer)
                try send(sendBuffer, what: "a task failure of job \(batch.jobID)", stop: stop)
            }
            // At most one result per task of one decoded batch: 0 to 2048 results of one job.
            guard !commandResults.isEmpty, let resultBatch = try? ResultBatch(commandResults) else { return }
            resultBatch.encode(into: &sendBuffer)
            try send(sendBuffer, what: "\(resultBatch.results.count) results of job \(batch.jobID)", stop: stop)
        }
    }
}
