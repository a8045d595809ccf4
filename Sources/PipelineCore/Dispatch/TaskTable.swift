/// A table from task ids to values, sized by what it holds, not by the job: open addressing with linear probing, keyed
/// by the id mixed with a random seed of its own (so ids a peer picks cannot be made to collide).
///
/// A `Dictionary` hashes every id with SipHash; here an id is placed by one multiply, and a removal shifts the entries
/// that follow back instead of leaving a tombstone. Values are best kept plain (no references): they move as the table
/// grows and shifts.
package struct TaskTable<Value> {
    /// No task id reaches it: ids are below a job's task count, which is at most `UInt64.max`.
    private static var empty: UInt64 { .max }

    private struct Slot {
        var id: UInt64
        var value: Value?
    }

    private var slots: [Slot] = []
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
        while slots[index].id != Self.empty {
            if slots[index].id == id { return (index, true) }
            index = (index + 1) & mask
        }
        return (index, false)
    }

    package func contains(_ id: UInt64) -> Bool {
        !slots.isEmpty && slot(of: id).found
    }

    /// The value of `id`; setting `nil` removes it. `id` must be below `UInt64.max`.
    package subscript(id: UInt64) -> Value? {
        get {
            guard count > 0 else { return nil }
            let (index, found) = slot(of: id)
            return found ? slots[index].value : nil
        }
        set {
            guard let newValue else {
                _ = removeValue(forKey: id)
                return
            }
            precondition(id != Self.empty, "task id \(id) is past every job's tasks")
            if (count + 1) * 2 > slots.count { grow() }
            let (index, found) = slot(of: id)
            slots[index] = Slot(id: id, value: newValue)
            if !found { count += 1 }
        }
    }

    /// Changes the value of `id`, if it has one, in place; returns what `body` returns, or `nil` when `id` has none.
    @inline(__always)
    package mutating func update<Result>(_ id: UInt64, _ body: (inout Value) -> Result) -> Result? {
        guard count > 0 else { return nil }
        let (index, found) = slot(of: id)
        guard found else { return nil }
        return body(&slots[index].value!)
    }

    /// Removes `id`; returns its value, or `nil` when it had none.
    @discardableResult
    package mutating func removeValue(forKey id: UInt64) -> Value? {
        guard count > 0 else { return nil }
        let (index, found) = slot(of: id)
        guard found else { return nil }
        let value = slots[index].value
        removeSlot(at: index)
        return value
    }

    /// Calls `body` with each id and its value, which it may change, in no particular order.
    package mutating func updateEach(_ body: (UInt64, inout Value) -> Void) {
        for index in slots.indices where slots[index].id != Self.empty {
            body(slots[index].id, &slots[index].value!)
        }
    }

    /// Every id and its value, in no particular order.
    package var entries: [(id: UInt64, value: Value)] {
        slots.compactMap { slot in slot.value.map { (slot.id, $0) } }
    }

    /// Empties slot `index`, and moves back each entry after it that would no longer be found past the gap.
    private mutating func removeSlot(at index: Int) {
        let mask = slots.count - 1
        var hole = index
        var next = (index + 1) & mask
        while slots[next].id != Self.empty {
            let home = home(of: slots[next].id)
            // The entry may fill the hole unless its home lies cyclically in (hole, next].
            let stays = hole <= next ? (home > hole && home <= next) : (home > hole || home <= next)
            if !stays {
                slots[hole] = slots[next]
                hole = next
            }
            next = (next + 1) & mask
        }
        slots[hole] = Slot(id: Self.empty, value: nil)
        count -= 1
    }

    private mutating func grow() {
        let old = slots
        let capacity = Swift.max(16, slots.count * 2)
        slots = Array(repeating: Slot(id: Self.empty, value: nil), count: capacity)
        shift = UInt64(64 - capacity.trailingZeroBitCount)
        for slot in old where slot.id != Self.empty { slots[self.slot(of: slot.id).index] = slot }
    }
}
