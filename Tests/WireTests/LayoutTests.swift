import Testing
import Wire

/// Each message's exact bytes, as topology.md documents them.
struct LayoutTests {
    @Test func jobAnnouncementLayout() throws {
        let job = try JobAnnouncement(jobID: 7, kernel: KernelID(rawValue: 1), first: 1, last: 100, chunk: 30)
        #expect(job.taskCount == 4)
        let expected = [1, 0x01, 1] + le(UInt64(7)) + le(UInt64(1)) + le(UInt64(100)) + le(UInt64(30)) + le(UInt64(4))
        #expect(job.encoded() == expected)
        #expect(expected.count == 43)
        #expect(
            hex(job.encoded())
                == "01 01 01 07 00 00 00 00 00 00 00 01 00 00 00 00 00 00 00 64 00 00 00 00 00 00 00 "
                + "1e 00 00 00 00 00 00 00 04 00 00 00 00 00 00 00")
    }

    @Test func taskBatchLayout() throws {
        let tasks = [
            try RangeTask(jobID: 7, taskID: 3, lo: 91, hi: 100, kernel: KernelID(rawValue: 1)),
            try RangeTask(jobID: 7, taskID: 4, lo: 101, hi: 101, kernel: KernelID(rawValue: 1)),
        ]
        let expected =
            [1, 0x02, 1] + le(UInt64(7)) + le(UInt16(2)) + le(UInt64(3)) + le(UInt64(91)) + le(UInt64(100))
            + le(UInt64(4)) + le(UInt64(101)) + le(UInt64(101))
        #expect(try TaskBatch(tasks).encoded() == expected)
        #expect(expected.count == 13 + 2 * 24)
    }

    @Test func resultBatchLayout() throws {
        let partial = UInt128(0x0102_0304_0506_0708) << 64 | 0x1112_1314_1516_1718
        let result = try TaskResult(
            jobID: 7, taskID: 3, workerID: 0xABCD, partial: partial, elementCount: 10, computeNanoseconds: 1500)
        let expected =
            [1, 0x03] + le(UInt64(7)) + le(UInt64(0xABCD)) + le(UInt16(1)) + le(UInt64(3))
            + le(UInt64(0x1112_1314_1516_1718)) + le(UInt64(0x0102_0304_0506_0708)) + le(UInt64(10)) + le(UInt64(1500))
        #expect(try ResultBatch([result]).encoded() == expected)
        #expect(expected.count == 20 + 40)
    }

    @Test func acknowledgementLayout() throws {
        let ack = try Acknowledgement(
            jobID: 7, completed: 3, runs: [.init(first: 0, length: 2), .init(first: 3, length: 1)])
        let expected =
            [1, 0x04] + le(UInt64(7)) + le(UInt64(3)) + le(UInt16(2))
            + le(UInt64(0)) + le(UInt32(2)) + le(UInt64(3)) + le(UInt32(1))
        #expect(ack.encoded() == expected)
        #expect(expected.count == 20 + 2 * 12)
    }

    @Test func creditLayout() throws {
        let credit = try Credit(batches: 2, isReset: true, workerID: 0xABCD)
        #expect(credit.encoded() == [1, 0x06] + le(UInt16(2)) + [1] + le(UInt64(0xABCD)))
    }

    @Test func dispatchStatusLayout() {
        let status = DispatchStatus(jobID: 7, dispatched: 4, reissued: 1, workers: 3)
        #expect(status.encoded() == [1, 0x07] + le(UInt64(7)) + le(UInt64(4)) + le(UInt64(1)) + le(UInt32(3)))
    }

    @Test func jobReportLayout() throws {
        let report = try JobReport(
            jobID: 7, outcome: .verified, total: 5050, completed: 4, duplicates: 1, rejected: 2,
            elapsedNanoseconds: 1_000_000)
        let expected =
            [1, 0x05] + le(UInt64(7)) + [0] + le(UInt64(5050)) + le(UInt64(0)) + le(UInt64(4)) + le(UInt64(1))
            + le(UInt64(2)) + le(UInt64(1_000_000))
        #expect(report.encoded() == expected)
        #expect(expected.count == 59)
    }
}
