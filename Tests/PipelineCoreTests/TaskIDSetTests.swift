import Testing

@testable import PipelineCore

/// The set of task ids holds what a `Set` would, through insertions, removals (which move ids back across the
/// table's end) and growth.
@Suite struct TaskIDSetTests {
    @Test func itHoldsWhatASetHolds() {
        var generator = SystemRandomNumberGenerator()
        for round in 0..<40 {
            var set = TaskIDSet()
            var model: Set<UInt64> = []
            // Few distinct ids, so removals and insertions of the same ones are frequent and probe chains long; every
            // other round spread far apart, up to the largest id a job can have.
            let ids = UInt64(8 + round * 10)
            let spread: UInt64 = round % 2 == 0 ? 1 : (UInt64.max - 1) / ids
            for _ in 0..<2_000 {
                let first = UInt64.random(in: 0..<ids, using: &generator) * spread
                let run = first..<(first + (spread == 1 ? UInt64.random(in: 0...3, using: &generator) : 1))
                switch UInt8.random(in: 0..<3, using: &generator) {
                case 0:
                    set.insert(run)
                    model.formUnion(run)
                case 1:
                    set.remove(run)
                    model.subtract(run)
                default:
                    #expect(run.filter(set.contains) == run.filter(model.contains), "\(run)")
                }
                #expect(set.count == model.count)
            }
            for id in model { #expect(set.contains(id)) }
            #expect(!set.contains(UInt64.max - 2) || model.contains(UInt64.max - 2))
        }
    }
}
