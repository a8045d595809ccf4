/// A set of task ids sized by what it holds, not by the job: a hash table with open addressing and linear probing,
/// keyed by the id mixed with a random seed of its own (so ids a peer picks cannot be made to collide).
///
/// `Set<UInt64>` hashes every id with SipHash; here an id is placed by one multiply, and a removal shifts the ids that
/// follow back instead of leaving a tombstone. A `TaskBitset` would cost a bit for every task of the job.
package struct TaskIDSet {
    /// No task id reaches it: ids are below a job's task count, which is at most `UInt64.max`.
    private static let empty = UInt64.max

    private var slots: [UInt64] = []
    /// 64 minus the log of the capacity: the bits of a mixed id that pick its home slot.
    private var shift: UInt64 = 64
    private let seed: UInt64
    package private(set) var count = 0

    package init() {
        var generator = SystemRandomNumberGenerator()
        seed = generator.next()
    }

    @inline(__always)
    private func home(of id: UInt64) -> Int {
        Int(truncatingIfNeeded: ((id ^ seed) &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    /// The slot holding `id`, or the free slot where it would go.
    @inline(__always)
    private func slot(of id: UInt64) -> (index: Int, found: Bool) {
        let mask = slots.count - 1
        var index = home(of: id)
        while slots[index] != Self.empty {
            if slots[index] == id { return (index, true) }
            index = (index + 1) & mask
        }
        return (index, false)
    }

    package func contains(_ id: UInt64) -> Bool {
        !slots.isEmpty && slot(of: id).found
    }

    /// Adds `ids`; each must be below `UInt64.max`.
    package mutating func insert(_ ids: Range<UInt64>) {
        for id in ids {
            precondition(id != Self.empty, "task id \(id) is past every job's tasks")
            if (count + 1) * 2 > slots.count { grow() }
            let (index, found) = slot(of: id)
            guard !found else { continue }
            slots[index] = id
            count += 1
        }
    }

    /// Removes `ids`.
    package mutating func remove(_ ids: Range<UInt64>) {
        guard count > 0 else { return }
        for id in ids {
            let (index, found) = slot(of: id)
            if found { removeSlot(at: index) }
        }
    }

    /// Empties slot `index`, and moves back each id after it that would no longer be found past the gap.
    private mutating func removeSlot(at index: Int) {
        let mask = slots.count - 1
        var hole = index
        var next = (index + 1) & mask
        while slots[next] != Self.empty {
            let home = home(of: slots[next])
            // The id may fill the hole unless its home lies cyclically in (hole, next].
            let stays = hole <= next ? (home > hole && home <= next) : (home > hole || home <= next)
            if !stays {
                slots[hole] = slots[next]
                hole = next
            }
            next = (next + 1) & mask
        }
        slots[hole] = Self.empty
        count -= 1
    }

    private mutating func grow() {
        let old = slots
        let capacity = Swift.max(16, slots.count * 2)
        slots = Array(repeating: Self.empty, count: capacity)
        shift = UInt64(64 - capacity.trailingZeroBitCount)
        for id in old where id != Self.empty { slots[slot(of: id).index] = id }
    }
}
