import Testing

@testable import PipelineCore

/// The bitset's word-at-a-time range operations agree with the same operations an id at a time.
@Suite struct TaskBitsetTests {
    @Test func insertingOrRemovingARangeDoesWhatOneAtATimeWould() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let count = UInt64.random(in: 1...300, using: &generator)
            var byRange = TaskBitset(count: count)
            var byID = TaskBitset(count: count)
            for step in 0..<8 {
                let lower = UInt64.random(in: 0...count, using: &generator)
                let ids = lower..<UInt64.random(in: lower...count, using: &generator)
                if step % 2 == 0 {
                    let expected = ids.reduce(UInt64(0)) { $0 + (byID.insert($1) ? 1 : 0) }
                    #expect(byRange.insert(ids) == expected, "\(ids) of \(count)")
                } else {
                    for id in ids { byID.remove(id) }
                    byRange.remove(ids)
                }
                #expect(byRange == byID)
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
