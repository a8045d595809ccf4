import Testing
import Wire

/// Every malformed frame is rejected with a typed error; none crashes the decoder.
struct RejectionTests {
    static let validTask = try! TaskBatch(kernel: KernelName("sum"), [RangeTask(jobID: 1, taskID: 2, lo: 3, hi: 4)]).encoded()
    static let validJob = try! JobAnnouncement(jobID: 1, kernel: try KernelName("sum"), first: 1, last: 100, chunk: 10).encoded()
    static let validResult = try! ResultBatch([
        TaskResult(jobID: 1, taskID: 2, workerID: 3, partial: 4, elementCount: 5, computeNanoseconds: 6)
    ]).encoded()
    static let validReport = try! JobReport(
        jobID: 1, outcome: .verified, total: 2, completed: 3, duplicates: 0, rejected: 0, elapsedNanoseconds: 1
    ).encoded()

    func code(of frame: [UInt8]) -> WireError.Code? {
        do {
            _ = try AnyMessage(decoding: frame)
            return nil
        } catch {
            return error.code
        }
    }

    @Test func emptyAndOneByteFramesAreTooShort() {
        #expect(code(of: []) == .wrongLength)
        #expect(code(of: [1]) == .wrongLength)
    }

    @Test(arguments: [0, 1, 3, 0xFF] as [UInt8])
    func unknownVersionsAreRejected(version: UInt8) {
        var frame = Self.validTask
        frame[0] = version
        #expect(code(of: frame) == .unsupportedVersion)
    }

    @Test func anOldPeersFrameSaysTheVersionsDiffer() {
        var frame = Self.validTask
        frame[0] = 1
        #expect(throws: WireError.self) { try AnyMessage(decoding: frame) }
        do {
            _ = try AnyMessage(decoding: frame)
        } catch {
            #expect(error.detail.contains("protocol version 1, but this build speaks version 2"))
        }
    }

    @Test(arguments: [0x00, 0x0B, 0x7F, 0xFF] as [UInt8])
    func unknownTypesAreRejected(type: UInt8) {
        var frame = Self.validTask
        frame[1] = type
        #expect(code(of: frame) == .unknownType)
    }

    @Test(arguments: [validTask, validJob, validResult, validReport])
    func truncatedAndPaddedFramesAreRejected(frame: [UInt8]) {
        for length in 2..<frame.count {
            #expect(code(of: Array(frame.prefix(length))) == .wrongLength)
        }
        #expect(code(of: frame + [0]) == .wrongLength)
    }

    @Test func aTaskWithLoAboveHiIsRejected() {
        var frame = Self.validTask
        frame.replaceSubrange(52..<60, with: le(UInt64(5)))  // lo = 5 > hi = 4
        #expect(code(of: frame) == .invalidRange)
        #expect(throws: WireError.self) { try RangeTask(jobID: 1, taskID: 1, lo: 2, hi: 1) }
    }

    @Test func aJobWithAWrongTaskCountIsRejected() {
        var frame = Self.validJob
        frame.replaceSubrange(36..<44, with: le(UInt64(11)))  // 100 elements in chunks of 10 is 10 tasks
        #expect(code(of: frame) == .invalidField)
    }

    @Test func aJobWithChunkZeroOrReversedRangeIsRejected() {
        var zeroChunk = Self.validJob
        zeroChunk.replaceSubrange(28..<36, with: le(UInt64(0)))
        #expect(code(of: zeroChunk) == .invalidField)
        var reversed = Self.validJob
        reversed.replaceSubrange(12..<20, with: le(UInt64(101)))  // first = 101 > last = 100
        #expect(code(of: reversed) == .invalidRange)
    }

    @Test func aJobOf2To64TasksIsRejected() {
        #expect(throws: WireError.self) {
            try JobAnnouncement(jobID: 1, kernel: try KernelName("sum"), first: 0, last: .max, chunk: 1)
        }
    }

    @Test func aResultWithNoElementsIsRejected() {
        var frame = Self.validResult
        frame.replaceSubrange(44..<52, with: le(UInt64(0)))
        #expect(code(of: frame) == .invalidField)
    }

    @Test func batchesWithACountThatDisagreesWithTheLengthAreRejected() {
        var tasks = Self.validTask
        tasks[42] = 2  // claims two tasks, carries one
        #expect(code(of: tasks) == .wrongLength)
        tasks[42] = 0  // claims none
        #expect(code(of: tasks) == .wrongLength)
        var results = Self.validResult
        results[18] = 0
        #expect(code(of: results) == .wrongLength)
        var emptyResults = Array(Self.validResult.prefix(20))
        emptyResults[18] = 0
        #expect(code(of: emptyResults) == .invalidField)  // well sized, but a batch holds at least one result
    }

    @Test func aReportWithAnUnknownOutcomeIsRejected() {
        var frame = Self.validReport
        frame[10] = 5
        #expect(code(of: frame) == .invalidField)
    }

    @Test func kernelNamesHaveOneSpelling() throws {
        for bad in ["", "Sum", "-x", "a b", "ä", String(repeating: "a", count: 33), "a\u{0}b"] {
            #expect(throws: WireError.self) { try KernelName(bad) }
        }
        for good in ["sum", "mc-pi", "a", "0x", "v1.2_beta", String(repeating: "a", count: 32)] {
            #expect(try KernelName(good).rawValue == good)
        }
        var garbageAfterName = Self.validTask
        garbageAfterName[10 + 4] = UInt8(ascii: "x")  // "sum\0x...": a byte after the name's end
        #expect(code(of: garbageAfterName) == .invalidField)
        var upper = Self.validTask
        upper[10] = UInt8(ascii: "S")
        #expect(code(of: upper) == .invalidField)
    }

    @Test func jobsWithAnUnknownReductionOrAnswerSourceAreRejected() {
        var reduction = Self.validJob
        reduction[2] = 3
        #expect(code(of: reduction) == .invalidField)
        var source = Self.validJob
        source[3] = 3
        #expect(code(of: source) == .invalidField)
        var stray = Self.validJob  // no answer, yet an expected value
        stray[44] = 1
        #expect(code(of: stray) == .invalidField)
    }

    @Test func textFieldsMustBeValidUTF8AndWithinTheirLimit() throws {
        let report = try JobReport(
            jobID: 1, outcome: .failed, total: 0, completed: 0, duplicates: 0, rejected: 0, elapsedNanoseconds: 0,
            reason: "ab")
        var invalid = report.encoded()
        invalid[invalid.count - 1] = 0xFF
        #expect(code(of: invalid) == .invalidField)
        var tooLong = Array(report.encoded().prefix(59)) + le(UInt16(1025)) + Array(repeating: UInt8(ascii: "a"), count: 1025)
        #expect(code(of: tooLong) == .invalidField)
        tooLong.replaceSubrange(59..<61, with: le(UInt16(3)))  // says 3 bytes, carries 1025
        #expect(code(of: tooLong) == .wrongLength)
        let failure = try TaskFailure(workerID: 1, task: RangeTask(jobID: 1, taskID: 2, lo: 3, hi: 4), reason: "x")
        var empty = Array(failure.encoded().prefix(42)) + le(UInt16(0))
        #expect(code(of: empty) == .invalidField)
        empty = failure.encoded() + [0]
        #expect(code(of: empty) == .wrongLength)
    }

    @Test func creditsMustNameOneToSixtyFourDistinctKernels() throws {
        let sum = try KernelName("sum")
        let valid = try Credit(batches: 1, workerID: 5, kernels: [sum]).encoded()
        var none = Array(valid.prefix(14))
        none[13] = 0
        #expect(code(of: none) == .invalidField)
        var twice = valid + Array(valid[14...])
        twice[13] = 2
        #expect(code(of: twice) == .invalidField)
        #expect(throws: WireError.self) { try Credit(batches: 1, workerID: 5, kernels: [sum, sum]) }
    }

    @Test func acknowledgementsWithBadRunsAreRejected() throws {
        let valid = try Acknowledgement(jobID: 1, completed: 2, runs: [.init(first: 0, length: 2)]).encoded()
        #expect(code(of: Array(valid.dropLast())) == .wrongLength)
        #expect(code(of: Array(valid.prefix(19))) == .wrongLength)
        var countTooHigh = valid
        countTooHigh[18] = 2
        #expect(code(of: countTooHigh) == .wrongLength)
        var emptyRun = valid
        emptyRun.replaceSubrange(28..<32, with: le(UInt32(0)))
        #expect(code(of: emptyRun) == .invalidRange)
        var wrapping = valid
        wrapping.replaceSubrange(20..<28, with: le(UInt64.max))  // run of 2 from the last id wraps around
        #expect(code(of: wrapping) == .invalidRange)
    }

    @Test func creditsWithUnknownFlagsOrNothingToGiveAreRejected() throws {
        let valid = try Credit(batches: 1, workerID: 5, kernels: [KernelName("sum")]).encoded()
        var flags = valid
        flags[4] = 2
        #expect(code(of: flags) == .invalidField)
        var zero = valid
        zero.replaceSubrange(2..<4, with: le(UInt16(0)))
        #expect(code(of: zero) == .invalidField)
        zero[4] = 1  // a reset to zero credit is allowed: "stop sending me work"
        #expect(code(of: zero) == nil)
        #expect(code(of: valid + [0]) == .wrongLength)
    }

    @Test func aMessageOfTheWrongTypeIsRejectedByATypedDecoder() {
        #expect(throws: WireError(.unexpectedType, "expected a task batch, got a result batch")) {
            try TaskBatch(decoding: Self.validResult)
        }
    }

    @Test func randomFramesNeverCrashTheDecoder() {
        var generator = SystemRandomNumberGenerator()
        var accepted = 0
        for _ in 0..<20_000 {
            let length = Int.random(in: 0...100, using: &generator)
            var frame = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if length >= 2 && Bool.random(using: &generator) {
                frame[0] = 2
                frame[1] = UInt8.random(in: 1...8, using: &generator)
            }
            if (try? AnyMessage(decoding: frame)) != nil { accepted += 1 }
        }
        // Only frames that happen to be exactly a valid layout decode; most are rejected.
        #expect(accepted < 20_000)
    }
}
