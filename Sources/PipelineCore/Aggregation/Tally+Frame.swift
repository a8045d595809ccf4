import Wire

/// The sink's hot path: a frame of results counted in one tight loop.
extension Tally {
    /// Takes a frame's results (one worker's), with the same outcome as ``accept(_:keep:into:others:)``.
    ///
    /// A result that counts at once, nearly every one, is counted in a tight loop: a task of the job not yet counted,
    /// with its element count right, whose sum does not overflow; with cross-checks, also from a worker whose results
    /// count alone, for a task that needs no agreement. The worker's statistics and the run of tasks for its ledger stay
    /// in locals and the done bits are set in place. Any other result ends the loop and goes through ``accept(_:)``, as
    /// it would alone, and the loop goes on after it. Jobs reduced by `min` or `max` take the general path.
    mutating func accept(
        frame: ResultBatchFrame, keep: Bool, into kept: inout [TaskResult], others: (TaskResult, JobProgress.Verdict) -> Void
    ) {
        guard announcement.reduction == .sum else { return accept(frame, keep: keep, into: &kept, others: others) }
        var index = frame.startIndex
        while index < frame.endIndex {
            // A worker new to the job is added on the general path (``worker(_:)``), once one of its results is valid.
            if let slot = knownSlot(of: frame.workerID), !checksOn || checks.countsAlone(slot: slot) {
                index = countAtOnce(frame, from: index, slot: slot, keep: keep, into: &kept)
                guard index < frame.endIndex else { return }
            }
            let result = frame[index]
            Self.route(result, accept(result), keep: keep, into: &kept, others: others)
            index += 1
        }
    }

    /// Counts the results of `frame` from `start` on while each counts at once, for the worker at `slot`, whose
    /// results count alone; returns the index of the first that does not (or the end).
    private mutating func countAtOnce(
        _ frame: ResultBatchFrame, from start: Int, slot: Int, keep: Bool, into kept: inout [TaskResult]
    ) -> Int {
        // Every task but the last holds `chunk` elements (the task count is the range's size over the chunk, rounded
        // up); the last one takes the general path.
        let lastTask = ranges.taskCount - 1
        let chunk = ranges.chunk
        let plan = checksOn ? checks.plan : .off
        let screensOpen = checksOn && checks.openUncovered > 0
        var total = self.total
        var busy: UInt64 = 0
        // The run of consecutive tasks being counted (empty: none), and the total before its first.
        var run: Range<UInt64> = 0..<0
        var totalBeforeRun = total
        var index = start
        done.withUnsafeMutableWords { words in
            while index < frame.endIndex {
                let result = frame[index]
                let task = result.taskID
                guard task < lastTask && result.elementCount == chunk else { break }
                let word = Int(task >> 6)
                let bit: UInt64 = 1 << (task & 63)
                guard words[word] & bit == 0 else { break }
                if checksOn {
                    guard !plan.covers(task), !(screensOpen && checks.openBits.contains(task)) else { break }
                }
                let (sum, overflow) = total.addingReportingOverflow(result.partial)
                guard !overflow else { break }
                words[word] |= bit
                if task != run.upperBound {
                    Self.close(run, slot: slot, partial: total &- totalBeforeRun, into: &pendingRuns, &checks, checked: checksOn)
                    run = task..<task
                    totalBeforeRun = total
                }
                run = run.lowerBound..<(task + 1)
                total = sum
                busy &+= result.computeNanoseconds
                if keep { kept.append(result) }
                index += 1
            }
        }
        Self.close(run, slot: slot, partial: total &- totalBeforeRun, into: &pendingRuns, &checks, checked: checksOn)
        let counted = UInt64(index - start)
        self.total = total
        completed += counted
        workers[slot].tasks += counted
        workers[slot].elements += UInt128(counted) * UInt128(chunk)
        workers[slot].busyNanoseconds &+= busy
        return index
    }

    /// Records a run of tasks counted at once from the worker at `slot`, whose values sum to `partial`: for the
    /// acknowledgement, and with cross-checks in the worker's ledger.
    @inline(__always)
    private static func close(
        _ run: Range<UInt64>, slot: Int, partial: Int128, into runs: inout PendingRuns, _ checks: inout CrossChecks,
        checked: Bool
    ) {
        guard !run.isEmpty else { return }
        runs.append(run)
        if checked { checks.countedAlone(run, slot: slot, partial: partial) }
    }
}
