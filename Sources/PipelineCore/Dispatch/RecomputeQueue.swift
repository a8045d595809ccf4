package import Wire

/// Tasks the sink asked for again (`RecomputeRequest`), each to go to a worker it does not exclude.
///
/// The ventilator sends each once and does not track it: the sink repeats a request until the results come.
package struct RecomputeQueue {
    /// The workers a request excludes, sorted: nearly always one (the worker whose result waits for a check), kept
    /// inline, so that queuing and taking a check allocate, retain and release nothing (an array each cost about as
    /// much as the rest of the ventilator's share of a check).
    private struct Excluded {
        let first: UInt64
        /// The others, when there are any.
        let more: [UInt64]?

        init(sorted: [UInt64]) {
            first = sorted.first ?? 0
            more = sorted.count > 1 ? Array(sorted.dropFirst()) : nil
        }

        func contains(_ workerID: UInt64) -> Bool {
            first == workerID || (more?.contains(workerID) ?? false)
        }
    }

    private struct Entry {
        let excluded: Excluded
        /// What is left of it to send.
        var tasks: Range<UInt64>
    }

    /// Oldest first from `head`; entries before it are taken.
    private var entries: [Entry] = []
    private var head = 0
    /// The tasks waiting, so that a request repeated while its tasks wait queues nothing more: a bit for each task of
    /// the job, as the ventilator keeps for those acknowledged, from the first request on. Requested tasks are recent
    /// and queued and taken nearly in order, so their bits are near each other; a hash table put each in a slot at
    /// random (the ventilator's CPU for checks read the same either way, +27 ms over 2·10^7 tasks at 1 %).
    private var waitingTasks = TaskBitset(count: 0)
    /// Tasks waiting, at most ``capacity``.
    private var waiting: UInt64 = 0
    /// The most tasks kept waiting: beyond, a request is dropped (the sink repeats it), so memory stays bounded even
    /// when no connected worker may take them.
    package static let capacity: UInt64 = 1 << 16

    package init() {}

    package var isEmpty: Bool { head == entries.count }

    /// Queues a request's tasks within a job of `taskCount` tasks, but those already waiting: a request repeated
    /// while its tasks wait queues nothing more. (A task's exclusions grow only once another worker computed it, which
    /// it took from here, so a task still waiting never needs a second entry that excludes more.)
    package mutating func add(_ request: RecomputeRequest, taskCount: UInt64) {
        let excluded = Excluded(sorted: request.excluded.sorted())
        if waitingTasks.words.isEmpty { waitingTasks = TaskBitset(count: taskCount) }
        let limit = min(taskCount, UInt64(waitingTasks.words.count) << 6)
        for run in request.runs {
            let end = min(limit, run.first &+ UInt64(run.length))
            guard run.first < end, waiting + (end - run.first) <= Self.capacity else { continue }
            // The runs of its tasks not waiting already: all of it, unless the request is a repeat.
            var start = run.first
            for task in run.first..<end where waitingTasks.contains(task) {
                if start < task { queue(start..<task, excluding: excluded) }
                start = task + 1
            }
            if start < end { queue(start..<end, excluding: excluded) }
        }
    }

    private mutating func queue(_ tasks: Range<UInt64>, excluding excluded: Excluded) {
        _ = waitingTasks.insert(tasks)
        entries.append(Entry(excluded: excluded, tasks: tasks))
        waiting += UInt64(tasks.count)
    }

    /// Takes up to `limit` tasks that `workerID` may compute, oldest request first (looking at most a few hundred
    /// entries past those it cannot take).
    package mutating func take(limit: Int, for workerID: UInt64) -> [UInt64] {
        var ids: [UInt64] = []
        var index = head
        var skipped = 0
        while index < entries.count && ids.count < limit && skipped < 256 {
            // Read in place: a copy of the entry would retain and release its exclusions.
            let tasks = entries[index].tasks
            guard !tasks.isEmpty, !entries[index].excluded.contains(workerID) else {
                if !tasks.isEmpty { skipped += 1 }
                index += 1
                continue
            }
            let taken = tasks.lowerBound..<min(tasks.upperBound, tasks.lowerBound + UInt64(limit - ids.count))
            ids.append(contentsOf: taken)
            waitingTasks.remove(taken)
            waiting -= UInt64(taken.count)
            entries[index].tasks = taken.upperBound..<tasks.upperBound
            index += 1
        }
        while head < entries.count && entries[head].tasks.isEmpty { head += 1 }
        if head > 1024 && head * 2 > entries.count {
            entries.removeFirst(head)
            head = 0
        }
        return ids
    }
}
