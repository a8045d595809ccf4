import Testing
import Wire

/// Each message's exact bytes, as topology.md documents them.
struct LayoutTests {
    @Test func jobAnnouncementLayout() throws {
        let job = try JobAnnouncement(jobID: 7, kernel: KernelName("sum"), answer: .known(5050), first: 1, last: 100, chunk: 30)
        #expect(job.taskCount == 4)
        let expected =
            [2, 0x01, 0, 1] + le(UInt64(7)) + le(UInt64(1)) + le(UInt64(100)) + le(UInt64(30)) + le(UInt64(4))
            + le(UInt64(5050)) + le(UInt64(0)) + name("sum") + le(UInt64(0)) + le(UInt64(0))
        #expect(job.encoded() == expected)
        #expect(expected.count == 108)
        let checked = try JobAnnouncement(
            jobID: 7, kernel: KernelName("sum"), first: 1, last: 100, chunk: 30,
            crossChecks: CrossCheckPlan(fraction: 0.01, salt: 0x55))
        #expect(Array(checked.encoded()[92...]) == le(UInt64(42_949_673)) + le(UInt64(0x55)))
        let negative = try JobAnnouncement(
            jobID: 7, kernel: KernelName("mc-pi"), reduction: .max, answer: .submitted(-2), first: 1, last: 1, chunk: 1)
        #expect(Array(negative.encoded()[2...3]) == [2, 2])
        #expect(Array(negative.encoded()[44..<60]) == le(UInt64.max - 1) + le(UInt64.max))
    }

    @Test func taskBatchLayout() throws {
        let tasks = [
            try RangeTask(jobID: 7, taskID: 3, lo: 91, hi: 100),
            try RangeTask(jobID: 7, taskID: 4, lo: 101, hi: 101),
        ]
        let expected =
            [2, 0x02] + le(UInt64(7)) + name("sum") + le(UInt16(2)) + le(UInt64(3)) + le(UInt64(91)) + le(UInt64(100))
            + le(UInt64(4)) + le(UInt64(101)) + le(UInt64(101))
        #expect(try TaskBatch(kernel: KernelName("sum"), tasks).encoded() == expected)
        #expect(expected.count == 44 + 2 * 24)
    }

    @Test func resultBatchLayout() throws {
        let result = try TaskResult(
            jobID: 7, taskID: 3, workerID: 0xABCD, partial: -2, elementCount: 10, computeNanoseconds: 1500)
        let expected =
            [2, 0x03] + le(UInt64(7)) + le(UInt64(0xABCD)) + le(UInt16(1)) + le(UInt64(3))
            + le(UInt64.max - 1) + le(UInt64.max) + le(UInt64(10)) + le(UInt64(1500))
        #expect(try ResultBatch([result]).encoded() == expected)
        #expect(expected.count == 20 + 40)
    }

    @Test func acknowledgementLayout() throws {
        let ack = try Acknowledgement(
            jobID: 7, completed: 3, runs: [.init(first: 0, length: 2), .init(first: 3, length: 1)])
        let expected =
            [2, 0x04] + le(UInt64(7)) + le(UInt64(3)) + le(UInt16(2))
            + le(UInt64(0)) + le(UInt32(2)) + le(UInt64(3)) + le(UInt32(1))
        #expect(ack.encoded() == expected)
        #expect(expected.count == 20 + 2 * 12)
    }

    @Test func creditLayout() throws {
        let credit = try Credit(batches: 2, isReset: true, workerID: 0xABCD, kernels: [KernelName("sum"), KernelName("primes")])
        #expect(credit.encoded() == [2, 0x06] + le(UInt16(2)) + [1] + le(UInt64(0xABCD)) + [2] + name("sum") + name("primes"))
    }

    @Test func dispatchStatusLayout() {
        let status = DispatchStatus(jobID: 7, dispatched: 4, reissued: 1, workers: 3, able: 2)
        #expect(
            status.encoded() == [2, 0x07] + le(UInt64(7)) + le(UInt64(4)) + le(UInt64(1)) + le(UInt32(3)) + le(UInt32(2)))
    }

    @Test func jobReportLayout() throws {
        let report = try JobReport(
            jobID: 7, outcome: .verified, total: 5050, completed: 4, duplicates: 1, rejected: 2,
            elapsedNanoseconds: 1_000_000, reason: "ok")
        let expected =
            [2, 0x05] + le(UInt64(7)) + [0] + le(UInt64(5050)) + le(UInt64(0)) + le(UInt64(4)) + le(UInt64(1))
            + le(UInt64(2)) + le(UInt64(1_000_000)) + le(UInt16(2)) + Array("ok".utf8)
        #expect(report.encoded() == expected)
        #expect(expected.count == 61 + 2)
    }

    @Test func taskFailureLayout() throws {
        let failure = try TaskFailure(workerID: 0xAB, task: RangeTask(jobID: 7, taskID: 3, lo: 91, hi: 100), reason: "boom")
        let expected =
            [2, 0x08] + le(UInt64(7)) + le(UInt64(0xAB)) + le(UInt64(3)) + le(UInt64(91)) + le(UInt64(100))
            + le(UInt16(4)) + Array("boom".utf8)
        #expect(failure.encoded() == expected)
    }

    @Test func suspectWorkerLayout() throws {
        let suspect = SuspectWorker(
            jobID: 7, workerID: 0xAB, cause: .heldWithoutAnswer, tasksLost: 5, suspendedMilliseconds: 2000, address: "::1")
        let expected =
            [2, 0x09] + le(UInt64(7)) + le(UInt64(0xAB)) + [2] + le(UInt64(5)) + le(UInt32(2000)) + le(UInt16(3))
            + Array("::1".utf8)
        #expect(suspect.encoded() == expected)
        #expect(try AnyMessage(decoding: expected) == .suspectWorker(suspect))
        // An unknown cause, an address of invalid UTF-8, and a frame longer than its address are refused.
        var badCause = expected
        badCause[18] = 3
        #expect(throws: WireError.self) { try SuspectWorker(decoding: badCause) }
        var badAddress = expected
        badAddress[expected.count - 1] = 0xFF
        #expect(throws: WireError.self) { try SuspectWorker(decoding: badAddress) }
        #expect(throws: WireError.self) { try SuspectWorker(decoding: expected + [0]) }
        // A long address is cut to its limit, on a character boundary.
        let long = SuspectWorker(
            jobID: 1, workerID: 1, cause: .resultsElsewhere, tasksLost: 0, suspendedMilliseconds: 0,
            address: String(repeating: "é", count: 200))
        #expect(long.address.utf8.count <= SuspectWorker.maxAddressBytes)
        #expect(try SuspectWorker(decoding: long.encoded()) == long)
    }

    @Test func recomputeRequestLayout() throws {
        let request = try RecomputeRequest(
            jobID: 7, quarantine: true, excluded: [0xAB, 0xCD], runs: [.init(first: 3, length: 2), .init(first: 9, length: 1)])
        let expected =
            [2, 0x0A] + le(UInt64(7)) + [1, 2] + le(UInt16(2)) + le(UInt64(0xAB)) + le(UInt64(0xCD)) + le(UInt64(3))
            + le(UInt32(2)) + le(UInt64(9)) + le(UInt32(1))
        #expect(request.encoded() == expected)
        #expect(expected.count == 14 + 2 * 8 + 2 * 12)
        #expect(try AnyMessage(decoding: expected) == .recomputeRequest(request))
        // A flag other than 0 or 1, no excluded worker, no run, a run of length 0, and a wrong length are refused.
        var badFlag = expected
        badFlag[10] = 2
        var noRuns = Array(expected.prefix(14 + 16))
        noRuns[12] = 0
        var emptyRun = expected
        emptyRun[14 + 16 + 8] = 0
        for frame in [badFlag, noRuns, emptyRun, expected + [0], Array(expected.dropLast())] {
            #expect(throws: WireError.self) { try RecomputeRequest(decoding: frame) }
        }
        #expect(throws: WireError.self) { try RecomputeRequest(jobID: 7, excluded: [], runs: [.init(first: 0, length: 1)]) }
    }

    @Test func aCheckRateAboveEveryTaskIsRefused() throws {
        var frame = try JobAnnouncement(jobID: 7, kernel: KernelName("sum"), first: 1, last: 100, chunk: 30).encoded()
        frame.replaceSubrange(92..<100, with: le(CrossCheckPlan.wholeRate + 1))
        #expect(throws: WireError.self) { try JobAnnouncement(decoding: frame) }
        frame.replaceSubrange(92..<100, with: le(CrossCheckPlan.wholeRate))
        #expect(try JobAnnouncement(decoding: frame).crossChecks.fraction == 1)
    }
}
