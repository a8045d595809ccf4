import Wire

/// The runs of task ids a sink has to acknowledge, gathered one id at a time. The run being extended, nearly every
/// result's, is kept inline, apart from the closed ones: extending it touches no array.
struct PendingRuns {
    private var closed: [Acknowledgement.Run] = []
    private var first: UInt64 = 0
    /// The length of the run being extended; 0: none.
    private var length: UInt32 = 0

    var isEmpty: Bool { length == 0 }
    var count: Int { closed.count + (length == 0 ? 0 : 1) }

    /// Every run, in the order they were gathered.
    var runs: [Acknowledgement.Run] {
        length == 0 ? closed : closed + [Acknowledgement.Run(first: first, length: length)]
    }

    /// Adds `id`: it extends the last run when it follows it (a run never wraps past the largest id).
    @inline(__always)
    mutating func append(_ id: UInt64) {
        if length > 0 && length < UInt32.max && id > first && id - first == UInt64(length) {
            length += 1
            return
        }
        if length > 0 { closed.append(Acknowledgement.Run(first: first, length: length)) }
        (first, length) = (id, 1)
    }

    /// Adds the ids of `ids`, consecutive and not empty: as ``append(_:)`` with each in turn, in one step.
    @inline(__always)
    mutating func append(_ ids: Range<UInt64>) {
        let count = ids.upperBound - ids.lowerBound
        if length > 0 && ids.lowerBound > first && ids.lowerBound - first == UInt64(length)
            && UInt64(length) + count <= UInt64(UInt32.max)
        {
            length += UInt32(count)
            return
        }
        guard count <= UInt64(UInt32.max) else {
            for id in ids { append(id) }  // runs of 2^32 ids: never from one frame
            return
        }
        if length > 0 { closed.append(Acknowledgement.Run(first: first, length: length)) }
        (first, length) = (ids.lowerBound, UInt32(count))
    }

    /// Takes every run, leaving none.
    mutating func take() -> [Acknowledgement.Run] {
        defer {
            closed.removeAll(keepingCapacity: true)
            length = 0
        }
        return runs
    }
}
