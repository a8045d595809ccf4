/// Which tasks are open, as bits beside the table of open checks, and how many of them the plan does not cover: the hot
/// path reads these, never the table.
extension CrossChecks {
    /// Removes `task`'s open check, if it has one.
    mutating func close(_ task: UInt64) {
        if open.removeValue(forKey: task) != nil { removeOpenBit(task) }
    }

    /// Marks `task` open, counting it in ``openUncovered`` when the plan does not cover it.
    mutating func insertOpenBit(_ task: UInt64) {
        if openBits.insert(task) && !plan.covers(task) { openUncovered += 1 }
    }

    /// Marks `task` no longer open.
    mutating func removeOpenBit(_ task: UInt64) {
        if openBits.remove(task) && !plan.covers(task) { openUncovered -= 1 }
    }
}
