import Testing

@testable import PipelineCore

/// The bitset's word-at-a-time range operations agree with the same operations an id at a time.
@Suite struct TaskBitsetTests {
    /// 500 sets of 1 to 300 ids, each with random ranges of ids within it.
    private func randomSets(_ body: (_ count: UInt64, _ randomRange: () -> Range<UInt64>) -> Void) {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let count = UInt64.random(in: 1...300, using: &generator)
            body(count) {
                let lower = UInt64.random(in: 0...count, using: &generator)
                return lower..<UInt64.random(in: lower...count, using: &generator)
            }
        }
    }

    @Test func insertingARangeCountsTheIdsThatWereClearAsOneAtATimeWould() {
        randomSets { count, randomRange in
            var byRange = TaskBitset(count: count)
            var byID = TaskBitset(count: count)
            for _ in 0..<4 {
                let ids = randomRange()
                let expected = ids.reduce(UInt64(0)) { $0 + (byID.insert($1) ? 1 : 0) }
                #expect(byRange.insert(ids) == expected, "\(ids) of \(count)")
                #expect(byRange == byID)
            }
        }
    }

    @Test func removingARangeAndLookingForAnyAgreeWithOneIdAtATime() {
        randomSets { count, randomRange in
            var byRange = TaskBitset(count: count)
            var byID = TaskBitset(count: count)
            _ = byRange.insert(0..<count)
            _ = byID.insert(0..<count)
            for _ in 0..<4 {
                let ids = randomRange()
                #expect(byRange.containsAny(ids) == ids.contains(where: byID.contains), "\(ids) of \(count)")
                byRange.remove(ids)
                for id in ids { byID.remove(id) }
                #expect(byRange == byID && !byRange.containsAny(ids))
            }
        }
    }

    @Test func containsAllIsTrueOnlyWhenEveryIdIsIn() {
        var set = TaskBitset(count: 200)
        #expect(set.insert(3..<130) == 127)
        #expect(set.containsAll(3..<130) && set.containsAll(64..<128) && set.containsAll(5..<5))
        #expect(!set.containsAll(2..<10) && !set.containsAll(120..<131) && !set.containsAll(190..<200))
        _ = set.remove(64)
        #expect(!set.containsAll(3..<130) && set.containsAll(65..<130) && set.containsAll(3..<64))
        #expect(set.insert(0..<200) == 74)
        #expect(set.containsAll(0..<200) && set.count == 200)
    }
}
