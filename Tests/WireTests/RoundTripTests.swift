import Testing
import Wire

struct RoundTripTests {
    static let extremes: [UInt64] = [0, 1, 255, 256, UInt64(UInt32.max), UInt64.max - 1, UInt64.max]

    @Test(arguments: extremes)
    func taskBatchRoundTrips(value: UInt64) throws {
        let task = try RangeTask(
            jobID: value, taskID: value, lo: value == 0 ? 0 : value - 1, hi: value)
        let batch = try TaskBatch(kernel: KernelName("sum"), [task, task])
        #expect(try TaskBatch(decoding: batch.encoded()) == batch)
        #expect(try AnyMessage(decoding: batch.encoded()) == .tasks(batch))
    }

    @Test(arguments: extremes)
    func resultBatchRoundTrips(value: UInt64) throws {
        let result = try TaskResult(
            jobID: value, taskID: value, workerID: value, partial: Int128(bitPattern: UInt128(value) << 64 | UInt128(value)),
            elementCount: max(value, 1), computeNanoseconds: value)
        let batch = try ResultBatch([result])
        #expect(try ResultBatch(decoding: batch.encoded()) == batch)
        #expect(try AnyMessage(decoding: batch.encoded()) == .results(batch))
    }

    @Test func fullBatchesRoundTrip() throws {
        let job = try JobAnnouncement(jobID: 3, kernel: try KernelName("sum"), first: 1, last: 5_000, chunk: 1)
        let tasks = try TaskBatch(kernel: job.kernel, (0..<UInt64(TaskBatch.maxTasks)).map { job.task($0) })
        #expect(try TaskBatch(decoding: tasks.encoded()) == tasks)
        let results = try ResultBatch(
            tasks.tasks.map {
                try TaskResult(
                    jobID: 3, taskID: $0.taskID, workerID: 1, partial: -Int128($0.lo), elementCount: 1, computeNanoseconds: 9)
            })
        #expect(try ResultBatch(decoding: results.encoded()) == results)
        #expect(results.encoded().count < 128 * 1024)  // the receiving sockets' limit, JobLimits.maxFrameBytes
    }

    @Test func resultsWrittenStraightFromTasksAndValuesMakeTheSameFrame() throws {
        let job = try JobAnnouncement(jobID: 3, kernel: try KernelName("sum"), first: 10, last: 5_000, chunk: 7)
        let tasks = (0..<UInt64(5)).map { job.task($0 * 3) }
        let partials: [Int128] = [-1, 0, Int128.max, Int128.min, 42]
        // 1003 ns over 5 results: 200 each, the remainder of 3 to the last.
        let expected = try ResultBatch(
            zip(tasks, partials).enumerated().map { index, pair in
                try TaskResult(
                    jobID: 3, taskID: pair.0.taskID, workerID: 9, partial: pair.1, elementCount: 7,
                    computeNanoseconds: index == 4 ? 203 : 200)
            })
        var frame: [UInt8] = []
        try TaskBatch(kernel: job.kernel, tasks).encoded().withUnsafeBytes { batch in
            ResultBatch.encode(try TaskBatchFrame(batch), partials: partials, workerID: 9, nanoseconds: 1003, into: &frame)
        }
        #expect(frame == expected.encoded())
        #expect(try ResultBatch(decoding: frame) == expected)
    }

    @Test func aBatchReadInPlaceHoldsWhatTheDecodedBatchHolds() throws {
        let job = try JobAnnouncement(jobID: 3, kernel: try KernelName("sum"), first: 10, last: 5_000, chunk: 7)
        let batch = try TaskBatch(kernel: job.kernel, [job.task(712), job.task(0), job.task(9)])
        try batch.encoded().withUnsafeBytes { bytes in
            let frame = try TaskBatchFrame(bytes)
            #expect(frame.count == 3 && frame.jobID == 3 && frame.kernel == job.kernel)
            #expect(Array(frame) == batch.tasks && TaskBatch(copying: frame) == batch)
        }
    }

    @Test func batchesWrittenStraightFromTaskIDsMakeTheSameFrame() throws {
        let job = try JobAnnouncement(jobID: 3, kernel: try KernelName("sum"), first: 10, last: 5_000, chunk: 7)
        let ids: [UInt64] = [0, 1, 2, 40, 712, 5]  // 712 is the last task: [4994, 5000], shorter than a chunk
        var frame: [UInt8] = []
        TaskBatch.encode(ids, of: job, into: &frame)
        #expect(frame == (try TaskBatch(kernel: job.kernel, ids.map(job.task))).encoded())
        #expect(try TaskBatch(decoding: frame).tasks.last == job.task(5))
        // From two arrays (requested tasks, then tracked ones), as from the two joined, whichever is empty.
        for split in [0, 2, ids.count] {
            var twoParts: [UInt8] = []
            TaskBatch.encode(Array(ids[..<split]), then: Array(ids[split...]), of: job, into: &twoParts)
            #expect(twoParts == frame)
        }
    }

    @Test func batchesRefuseToMixJobsOrBeEmpty() throws {
        let a = try RangeTask(jobID: 1, taskID: 0, lo: 1, hi: 1)
        let b = try RangeTask(jobID: 2, taskID: 0, lo: 1, hi: 1)
        let sum = try KernelName("sum")
        #expect(throws: WireError.self) { try TaskBatch(kernel: sum, []) }
        #expect(throws: WireError.self) { try TaskBatch(kernel: sum, [a, b]) }
        #expect(throws: WireError.self) { try ResultBatch([]) }
        #expect(throws: WireError.self) { try TaskBatch(kernel: sum, Array(repeating: a, count: TaskBatch.maxTasks + 1)) }
    }

    @Test func jobRoundTripsAcrossTheWholeRange() throws {
        let job = try JobAnnouncement(jobID: 1, kernel: try KernelName("sum"), first: 0, last: .max, chunk: .max)
        #expect(job.taskCount == 2)  // 2^64 elements in chunks of 2^64 - 1
        #expect(job.range(ofTask: 0) == 0...(UInt64.max - 1))
        #expect(job.range(ofTask: 1) == UInt64.max...UInt64.max)
        #expect(job.range(ofTask: 2) == nil)
        #expect(try JobAnnouncement(decoding: job.encoded()) == job)
        #expect(try AnyMessage(decoding: job.encoded()) == .jobAnnouncement(job))
    }

    @Test(
        arguments: [(1, 10, 3), (1, 1_000_000_000, 976_563), (5, 5, 1), (UInt64.max - 9, UInt64.max, 4)]
            as [(UInt64, UInt64, UInt64)])
    func tasksTileTheRangeExactly(first: UInt64, last: UInt64, chunk: UInt64) throws {
        let job = try JobAnnouncement(jobID: 1, kernel: try KernelName("sum"), first: first, last: last, chunk: chunk)
        var next = UInt128(first)
        var elements: UInt128 = 0
        for id in 0..<job.taskCount {
            let task = job.task(id)
            #expect(UInt128(task.lo) == next)
            #expect(task.elementCount <= UInt128(chunk))
            elements += task.elementCount
            next = UInt128(task.hi) + 1
        }
        #expect(next == UInt128(last) + 1)
        #expect(elements == job.elementCount)
    }

    @Test func acknowledgementRoundTripsWithManyRuns() throws {
        let runs = (0..<UInt64(Acknowledgement.maxRuns)).map { Acknowledgement.Run(first: $0 * 3, length: 2) }
        let ack = try Acknowledgement(jobID: 9, completed: 8192, runs: runs)
        #expect(try Acknowledgement(decoding: ack.encoded()) == ack)
        #expect(try AnyMessage(decoding: ack.encoded()) == .acknowledgement(ack))
    }

    @Test(arguments: [JobReport.Outcome.verified, .mismatch, .unverifiable, .failed])
    func reportRoundTrips(outcome: JobReport.Outcome) throws {
        let report = try JobReport(
            jobID: .max, outcome: outcome, total: .min, completed: .max, duplicates: 0, rejected: 3, elapsedNanoseconds: 12,
            reason: outcome == .failed ? "task 3 [4, 5] failed on worker 00000000000000ab: kernel 'x' exited — ☹" : "")
        #expect(try JobReport(decoding: report.encoded()) == report)
        #expect(try AnyMessage(decoding: report.encoded()) == .jobReport(report))
    }

    @Test(arguments: [(1, false), (UInt16.max, true), (0, true)] as [(UInt16, Bool)])
    func creditRoundTrips(batches: UInt16, reset: Bool) throws {
        let kernels = try ["sum", "primes", "mc-pi", String(repeating: "z", count: 32)].map(KernelName.init)
        let credit = try Credit(batches: batches, isReset: reset, workerID: .max, kernels: kernels)
        #expect(try Credit(decoding: credit.encoded()) == credit)
        #expect(try AnyMessage(decoding: credit.encoded()) == .credit(credit))
    }

    @Test(arguments: extremes)
    func dispatchStatusRoundTrips(value: UInt64) throws {
        let status = DispatchStatus(
            jobID: value, dispatched: value, reissued: value, workers: UInt32(truncatingIfNeeded: value),
            able: UInt32(truncatingIfNeeded: value >> 1))
        #expect(try DispatchStatus(decoding: status.encoded()) == status)
        #expect(try AnyMessage(decoding: status.encoded()) == .dispatchStatus(status))
    }

    @Test(arguments: [Reduction.sum, .min, .max])
    func jobCarriesItsKernelReductionAndAnswer(reduction: Reduction) throws {
        for answer in [JobAnnouncement.Answer.none, .known(.max), .submitted(.min), .submitted(-1)] {
            let job = try JobAnnouncement(
                jobID: 9, kernel: KernelName("mc-pi"), reduction: reduction, answer: answer, first: 0, last: 99, chunk: 7)
            let decoded = try JobAnnouncement(decoding: job.encoded())
            #expect(decoded == job)
            #expect((decoded.kernel.rawValue, decoded.reduction, decoded.answer) == ("mc-pi", reduction, answer))
        }
    }

    @Test func taskFailureRoundTrips() throws {
        let task = try RangeTask(jobID: 4, taskID: 17, lo: 171, hi: 180)
        let failure = try TaskFailure(
            workerID: 0xAB, task: task, reason: "kernel 'x' (`python3 x.py`) exited with status 1 (3 tries)")
        #expect(try TaskFailure(decoding: failure.encoded()) == failure)
        #expect(try AnyMessage(decoding: failure.encoded()) == .taskFailure(failure))
        let long = try TaskFailure(workerID: 1, task: task, reason: String(repeating: "é", count: 2000))
        #expect(long.reason.utf8.count <= JobReport.maxReasonBytes)
        #expect(try TaskFailure(decoding: long.encoded()) == long)
        #expect(throws: WireError.self) { try TaskFailure(workerID: 1, task: task, reason: "") }
    }

    @Test func encodingReusesTheBuffer() throws {
        var buffer: [UInt8] = []
        let batch = try TaskBatch(kernel: KernelName("sum"), [try RangeTask(jobID: 1, taskID: 2, lo: 3, hi: 4)])
        let job = try JobAnnouncement(jobID: 1, kernel: try KernelName("sum"), first: 1, last: 2, chunk: 1)
        job.encode(into: &buffer)
        batch.encode(into: &buffer)
        #expect(buffer == batch.encoded())
        batch.encode(into: &buffer)
        #expect(buffer == batch.encoded())
    }
}
