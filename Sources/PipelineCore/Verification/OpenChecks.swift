/// The open cross-checks of a job, by task.
///
/// Nearly every open check holds one candidate, whose worker is the only one it excludes: it is kept as a plain record
/// in an ``OpenWindow``, nothing to allocate, retain or release, near the records read and written last (checks open
/// nearly in order of task and close nearly in the order they opened). Any other (two candidates or more, none, or
/// more workers excluded) is kept whole in a dictionary beside it. A check's first result opens it and its second, agreeing,
/// closes it: with every check a whole ``CrossChecks/Open`` in a `Dictionary`, hashed with SipHash and copied and
/// released with its lists, those two steps took about a third of the sink's instructions for a check (860 a result
/// under callgrind, 305 in a table of plain records).
package struct OpenChecks {
    /// A check with one candidate, that excludes only the candidate's worker.
    package struct Single {
        package let candidate: CrossChecks.Candidate
        var due: Moment?
        var repeats: Int

        var open: CrossChecks.Open {
            CrossChecks.Open(
                candidates: InlineList(candidate), excluded: InlineList(candidate.workerID), due: due, repeats: repeats)
        }
    }

    private var singles = OpenWindow<Single>()
    private var others: [UInt64: CrossChecks.Open] = [:]

    package init() {}

    package var count: Int { singles.count + others.count }
    package var isEmpty: Bool { count == 0 }

    /// The check of `task` when it holds a single candidate and excludes only its worker.
    @inline(__always)
    package func single(_ task: UInt64) -> Single? {
        singles[task]
    }

    /// Opens the check of `task`, not open, with one candidate, whose worker it excludes.
    @inline(__always)
    mutating func open(_ task: UInt64, first candidate: CrossChecks.Candidate, due: Moment?, repeats: Int) {
        singles[task] = Single(candidate: candidate, due: due, repeats: repeats)
    }

    /// Closes the check of `task` when it holds a single candidate, from another worker than `candidate`'s, with the
    /// same value (nearly every check's second result); returns whether it did.
    @inline(__always)
    mutating func closeSingle(_ task: UInt64, agreeingWith candidate: CrossChecks.Candidate) -> Bool {
        singles.remove(task) { $0.candidate.workerID != candidate.workerID && $0.candidate.value == candidate.value }
    }

    /// The check of `task`; setting `nil` closes it.
    package subscript(task: UInt64) -> CrossChecks.Open? {
        get { singles[task]?.open ?? others[task] }
        set { updateValue(newValue, forKey: task) }
    }

    /// Sets the check of `task`; returns the one it replaced.
    @discardableResult
    package mutating func updateValue(_ entry: CrossChecks.Open?, forKey task: UInt64) -> CrossChecks.Open? {
        let old = removeValue(forKey: task)
        guard let entry else { return old }
        if entry.candidates.count == 1, entry.excluded.count == 1, entry.excluded[0] == entry.candidates[0].workerID {
            singles[task] = Single(candidate: entry.candidates[0], due: entry.due, repeats: entry.repeats)
        } else {
            others[task] = entry
        }
        return old
    }

    /// Closes the check of `task`; returns it, or `nil` when it was not open.
    @discardableResult
    package mutating func removeValue(forKey task: UInt64) -> CrossChecks.Open? {
        if let single = singles.removeValue(forKey: task) { return single.open }
        return others.isEmpty ? nil : others.removeValue(forKey: task)
    }

    /// See ``CrossChecks/Open/takeRequest(at:evenIfScheduled:)``: for the check of `task`, in place.
    mutating func takeRequest(_ task: UInt64, at now: Moment, evenIfScheduled: Bool) -> InlineList<UInt64>? {
        if let excluded = singles.update(task, { $0.takeRequest(at: now, evenIfScheduled: evenIfScheduled) }) {
            return excluded
        }
        return others[task]?.takeRequest(at: now, evenIfScheduled: evenIfScheduled)
    }

    /// Takes the request of every check that is due by `now`, scheduled or not, calling `body` with its task and the
    /// workers it excludes.
    mutating func takeEveryRequest(at now: Moment, _ body: (UInt64, InlineList<UInt64>) -> Void) {
        singles.updateEach { task, single in
            if let excluded = single.takeRequest(at: now, evenIfScheduled: true) { body(task, excluded) }
        }
        var index = others.startIndex
        while index != others.endIndex {
            if let excluded = others.values[index].takeRequest(at: now, evenIfScheduled: true) {
                body(others.keys[index], excluded)
            }
            index = others.index(after: index)
        }
    }

    /// Every open check, in no particular order.
    package var entries: [(task: UInt64, entry: CrossChecks.Open)] {
        singles.all.map { ($0.task, $0.value.open) } + others.map { ($0.key, $0.value) }
    }
}

extension OpenChecks.Single {
    /// See ``CrossChecks/Open/takeRequest(at:evenIfScheduled:)``.
    @inline(__always)
    mutating func takeRequest(at now: Moment, evenIfScheduled: Bool) -> InlineList<UInt64>? {
        CrossChecks.takeTurn(due: &due, repeats: &repeats, at: now, evenIfScheduled: evenIfScheduled)
            ? InlineList(candidate.workerID) : nil
    }
}
