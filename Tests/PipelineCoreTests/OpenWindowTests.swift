import Testing

@testable import PipelineCore

/// The window of open tasks holds what a `Dictionary` would, in ascending order of task, through insertions (in
/// order and out of it), changes in place and removals (at its head, behind an entry that stays open, and of tasks it
/// never held); and the open checks kept in it read back whole.
@Suite struct OpenWindowTests {
    @Test func itHoldsWhatADictionaryHolds() {
        var generator = SystemRandomNumberGenerator()
        for round in 0..<40 {
            var window = OpenWindow<Int>()
            var model: [UInt64: Int] = [:]
            // Few distinct ids in any order, so entries are inserted between others and reopened after they closed;
            // every other round spread far apart, up to the largest id a job can have.
            let ids = UInt64(8 + round * 10)
            let spread: UInt64 = round % 2 == 0 ? 1 : (UInt64.max - 1) / ids
            for step in 0..<2_000 {
                let id = UInt64.random(in: 0..<ids, using: &generator) * spread
                apply(UInt8.random(in: 0..<5, using: &generator), id: id, step: step, to: &window, model: &model)
            }
            expectSame(&window, model)
        }
    }

    /// As checks do: tasks open nearly in order and mostly close soon after, a few stay open long (their heads pin
    /// the window while thousands close behind them), and the window empties now and then.
    @Test func itHoldsWhatADictionaryHoldsWhenTasksComeNearlyInOrder() {
        var generator = SystemRandomNumberGenerator()
        var window = OpenWindow<Int>()
        var model: [UInt64: Int] = [:]
        var next: UInt64 = 0
        var recent: [UInt64] = []
        var stuck: [UInt64] = []
        for step in 0..<60_000 {
            // Out of order by up to 40 tasks, as two workers' batches interleave.
            let id = next + UInt64.random(in: 0..<40, using: &generator)
            next += UInt64.random(in: 1...8, using: &generator)
            apply(0, id: id, step: step, to: &window, model: &model)
            recent.append(id)
            // Most close a little later, nearly in the order they opened; about one in 500 stays open.
            while recent.count > 64 {
                let index = Int.random(in: 0..<4, using: &generator)
                let closing = recent.remove(at: index)
                if step % 500 != 0 {
                    apply(1, id: closing, step: step, to: &window, model: &model)
                } else {
                    stuck.append(closing)
                }
            }
            // The long open ones close at last: the head moves past thousands of closed entries at once.
            if step % 7_000 == 6_999 {
                for id in stuck { apply(1, id: id, step: step, to: &window, model: &model) }
                stuck.removeAll()
            }
            if step % 20_000 == 19_999 {
                for id in Array(model.keys) { apply(1, id: id, step: step, to: &window, model: &model) }
                recent.removeAll()
                stuck.removeAll()
                #expect(window.count == 0 && window.all.isEmpty)
            }
            if step % 1_000 == 0 { expectSame(&window, model) }
        }
        expectSame(&window, model)
    }

    private func apply(
        _ operation: UInt8, id: UInt64, step: Int, to window: inout OpenWindow<Int>, model: inout [UInt64: Int]
    ) {
        switch operation {
        case 0:
            window[id] = step
            model[id] = step
        case 1:
            #expect(window.removeValue(forKey: id) == model.removeValue(forKey: id))
        case 2:
            let changed = window.update(id) { value in
                value += 1
                return value
            }
            #expect(changed == model[id].map { $0 + 1 })
            model[id]? += 1
        case 3:
            let removed = window.remove(id) { $0 % 2 == 0 }
            #expect(removed == (model[id].map { $0 % 2 == 0 } ?? false))
            if removed { model[id] = nil }
        default:
            #expect(window[id] == model[id])
        }
        #expect(window.count == model.count)
    }

    private func expectSame(_ window: inout OpenWindow<Int>, _ model: [UInt64: Int]) {
        #expect(window.all.map(\.task) == model.keys.sorted())
        #expect(Dictionary(uniqueKeysWithValues: window.all.map { ($0.task, $0.value) }) == model)
        window.updateEach { _, value in value *= 2 }
        #expect(Dictionary(uniqueKeysWithValues: window.all.map { ($0.task, $0.value) }) == model.mapValues { $0 * 2 })
        window.updateEach { _, value in value /= 2 }
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
