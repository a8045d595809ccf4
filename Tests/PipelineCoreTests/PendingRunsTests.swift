import Testing
import Wire

@testable import PipelineCore

/// The sink's acknowledgement runs, gathered one id at a time with the last run kept apart.
@Suite struct PendingRunsTests {
    @Test func consecutiveIdsExtendTheLastRunAndOthersStartOne() {
        var runs = PendingRuns()
        #expect(runs.isEmpty && runs.count == 0 && runs.runs.isEmpty)
        for id: UInt64 in [5, 6, 7, 9, 10, 3, 3] { runs.append(id) }
        let expected = [(5, 3), (9, 2), (3, 1), (3, 1)].map { Acknowledgement.Run(first: $0, length: $1) }
        #expect(runs.count == 4 && runs.runs == expected)
        #expect(runs.take() == expected)
        #expect(runs.isEmpty && runs.take().isEmpty)
        runs.append(UInt64.max)
        runs.append(0)  // wraps past the end: a run of its own
        #expect(runs.runs == [.init(first: .max, length: 1), .init(first: 0, length: 1)])
    }

    @Test func aRangeAddsWhatItsIdsAddOneByOne() {
        let ranges: [Range<UInt64>] = [5..<8, 8..<9, 20..<30, 2..<3, 3..<10, 10..<11, .max - 2 ..< .max, 0..<4]
        var whole = PendingRuns()
        var oneByOne = PendingRuns()
        for range in ranges {
            whole.append(range)
            for id in range { oneByOne.append(id) }
            #expect(whole.runs == oneByOne.runs, "after \(range)")
        }
        #expect(whole.runs.map(\.first) == [5, 20, 2, .max - 2, 0])
    }
}
