import Testing

@testable import PipelineCore

/// The table from task ids to values holds what a `Dictionary` would, through insertions, changes in place, removals
/// (which move entries back across the table's end) and growth; and the open checks kept in it read back whole.
@Suite struct TaskTableTests {
    @Test func itHoldsWhatADictionaryHolds() {
        var generator = SystemRandomNumberGenerator()
        for round in 0..<40 {
            var table = TaskTable<Int>()
            var model: [UInt64: Int] = [:]
            // Few distinct ids, so probe chains are long and removals move entries; every other round spread far
            // apart, up to the largest id a job can have.
            let ids = UInt64(8 + round * 10)
            let spread: UInt64 = round % 2 == 0 ? 1 : (UInt64.max - 1) / ids
            for step in 0..<2_000 {
                let id = UInt64.random(in: 0..<ids, using: &generator) * spread
                switch UInt8.random(in: 0..<4, using: &generator) {
                case 0:
                    table[id] = step
                    model[id] = step
                case 1:
                    #expect(table.removeValue(forKey: id) == model.removeValue(forKey: id))
                case 2:
                    let changed = table.update(id) { value in
                        value += 1
                        return value
                    }
                    #expect(changed == model[id].map { $0 + 1 })
                    model[id]? += 1
                default:
                    #expect(table[id] == model[id] && table.contains(id) == (model[id] != nil))
                }
                #expect(table.count == model.count)
            }
            table.updateEach { _, value in value *= 2 }
            #expect(Dictionary(uniqueKeysWithValues: table.entries.map { ($0.id, $0.value) }) == model.mapValues { $0 * 2 })
        }
    }

    @Test func anOpenCheckReadsBackWholeWhicheverWayItIsKept() {
        var checks = OpenChecks()
        let first = CrossChecks.Candidate(workerID: 7, value: 42)
        let second = CrossChecks.Candidate(workerID: 8, value: 43)
        let now = Moment(.now)
        checks.open(3, first: first, due: now, repeats: 1)
        #expect(checks.single(3)?.candidate == first)
        #expect(checks[3]?.candidates.elementsEqual([first]) == true && checks[3]?.excluded.elementsEqual([7]) == true)
        // A second candidate: no longer a single one, and read back as it was set.
        checks[3] = CrossChecks.Open(candidates: [first, second], excluded: [7, 8], due: now, repeats: 1)
        #expect(checks.single(3) == nil && checks.count == 1)
        #expect(checks[3]?.candidates.elementsEqual([first, second]) == true)
        // A single candidate that excludes another worker too is not a single one either.
        checks[4] = CrossChecks.Open(candidates: [first], excluded: [7, 9])
        #expect(checks.single(4) == nil && checks[4]?.excluded.elementsEqual([7, 9]) == true)
        // Back to one candidate that excludes only its own worker: single again.
        checks[3] = CrossChecks.Open(candidates: [second], excluded: [8])
        #expect(checks.single(3)?.candidate == second && checks.count == 2)
        // Requests: due at once when never scheduled, then not before the first repeat, kept either way.
        #expect(checks.takeRequest(3, at: now, evenIfScheduled: false)?.elementsEqual([8]) == true)
        #expect(checks.takeRequest(3, at: now, evenIfScheduled: false) == nil)
        var taken: [UInt64: [UInt64]] = [:]
        checks.takeEveryRequest(at: now + CrossChecks.maxRepeat) { task, excluded in taken[task] = Array(excluded) }
        #expect(taken == [3: [8], 4: [7, 9]])
        #expect(checks.removeValue(forKey: 3)?.candidates.elementsEqual([second]) == true)
        #expect(checks.removeValue(forKey: 4) != nil && checks.isEmpty && checks.entries.isEmpty)
    }
}
