/// A set of task ids sized by what it holds, not by the job (a ``TaskTable`` of ids alone): a `TaskBitset` would cost a
/// bit for every task of the job, and `Set<UInt64>` hashes every id with SipHash.
package struct TaskIDSet {
    private var table = TaskTable<Void>()

    package init() {}

    package var count: Int { table.count }

    package func contains(_ id: UInt64) -> Bool {
        table.contains(id)
    }

    /// Adds `ids`; each must be below `UInt64.max`.
    package mutating func insert(_ ids: Range<UInt64>) {
        for id in ids { table[id] = () }
    }

    /// Removes `ids`.
    package mutating func remove(_ ids: Range<UInt64>) {
        guard table.count > 0 else { return }
        for id in ids { table.removeValue(forKey: id) }
    }
}
