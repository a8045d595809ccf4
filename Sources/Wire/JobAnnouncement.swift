/// Ventilator → sink: a job over the inclusive range `first...last`, split into tasks of `chunk` elements.
///
/// Task `i` covers `first + i*chunk ... min(last, first + (i+1)*chunk - 1)`; the last task may be short.
/// Layout (108 bytes): version, type 0x01, reduction u8, answer u8, job id u64, first u64, last u64, chunk u64,
/// task count u64, expected i128, kernel name (32 bytes), check rate u64 (0 ... 2^32), check salt u64 (see
/// ``CrossCheckPlan``).
public struct JobAnnouncement: WireMessage {
    public static let type = MessageType.jobAnnouncement
    static let length = 108
    /// The size of every job announcement frame, in bytes.
    public static var frameLength: Int { length }

    /// Where a job's independent answer comes from, if it has one.
    public enum Answer: Hashable, Sendable {
        /// No independent answer: a complete total is *unverifiable*.
        case none
        /// The kernel's own known answer (a closed form, a published table), computed by the ventilator.
        case known(Int128)
        /// The submitter's `--expect`.
        case submitted(Int128)

        /// The value to compare the total with, if any.
        public var value: Int128? {
            switch self {
            case .none: nil
            case .known(let value), .submitted(let value): value
            }
        }

        var code: UInt8 {
            switch self {
            case .none: 0
            case .known: 1
            case .submitted: 2
            }
        }
    }

    public let jobID: UInt64
    public let kernel: KernelName
    public let reduction: Reduction
    public let answer: Answer
    public let first: UInt64
    public let last: UInt64
    public let chunk: UInt64
    /// Always `ceil((last - first + 1) / chunk)`; the decoder rejects any other value.
    public let taskCount: UInt64
    /// Which tasks the sink has a second worker compute too.
    public private(set) var crossChecks: CrossCheckPlan

    /// Plans a job; fails when the range is reversed, `chunk` is 0, or there would be 2^64 tasks.
    public init(
        jobID: UInt64, kernel: KernelName, reduction: Reduction = .sum, answer: Answer = .none,
        first: UInt64, last: UInt64, chunk: UInt64, crossChecks: CrossCheckPlan = .off
    ) throws(WireError) {
        guard first <= last else {
            throw WireError(.invalidRange, "first \(first) is above last \(last)")
        }
        guard chunk > 0 else {
            throw WireError(.invalidField, "chunk must be at least 1")
        }
        let count = (UInt128(last - first) + 1 + UInt128(chunk) - 1) / UInt128(chunk)
        guard count <= UInt128(UInt64.max) else {
            throw WireError(.invalidField, "\(count) tasks do not fit in 64 bits; use a larger chunk")
        }
        self.jobID = jobID
        self.kernel = kernel
        self.reduction = reduction
        self.answer = answer
        self.first = first
        self.last = last
        self.chunk = chunk
        self.taskCount = UInt64(count)
        self.crossChecks = crossChecks
    }

    /// The same job with another cross-check salt (the sink picks its own).
    public func withCheckSalt(_ salt: UInt64) -> JobAnnouncement {
        var copy = self
        copy.crossChecks.salt = salt
        return copy
    }

    /// Whether `other` announces the same job: equal in every field but the cross-check salt, which the ventilator
    /// leaves 0 and the sink replaces with its own.
    public func isSameJob(as other: JobAnnouncement) -> Bool {
        withCheckSalt(0) == other.withCheckSalt(0)
    }

    /// The number of elements in the whole job (up to 2^64, hence 128 bits).
    public var elementCount: UInt128 { UInt128(last - first) + 1 }

    /// The inclusive range of task `taskID`, or `nil` when the job has no such task.
    public func range(ofTask taskID: UInt64) -> ClosedRange<UInt64>? {
        taskRanges.range(ofTask: taskID)
    }

    /// How the job's range splits into tasks, apart from the rest of the announcement.
    public var taskRanges: TaskRanges { TaskRanges(first: first, last: last, chunk: chunk, taskCount: taskCount) }

    /// The task message for `taskID`, which must be below ``taskCount``.
    @inlinable
    public func task(_ taskID: UInt64) -> RangeTask {
        guard let range = range(ofTask: taskID) else { preconditionFailure("task \(taskID) of \(taskCount)") }
        return RangeTask(uncheckedJobID: jobID, taskID: taskID, lo: range.lowerBound, hi: range.upperBound)
    }

    public init(decoding frame: UnsafeRawBufferPointer) throws(WireError) {
        try checkHeader(frame, type: Self.type, length: Self.length)
        var reader = ByteReader(frame)
        let reductionCode: UInt8 = reader.read()
        guard let reduction = Reduction(rawValue: reductionCode) else {
            throw WireError(.invalidField, "reduction \(reductionCode) is not one of 0 (sum), 1 (min), 2 (max)")
        }
        let answerCode: UInt8 = reader.read()
        let jobID: UInt64 = reader.read()
        let first: UInt64 = reader.read()
        let last: UInt64 = reader.read()
        let chunk: UInt64 = reader.read()
        let taskCount: UInt64 = reader.read()
        let expected: Int128 = reader.read()
        let answer: Answer
        switch answerCode {
        case 0:
            guard expected == 0 else { throw WireError(.invalidField, "expected total \(expected) without an answer source") }
            answer = .none
        case 1: answer = .known(expected)
        case 2: answer = .submitted(expected)
        default: throw WireError(.invalidField, "answer source \(answerCode) is not one of 0 (none), 1 (known), 2 (submitted)")
        }
        let kernel = try reader.readName()
        let rate: UInt64 = reader.read()
        guard rate <= CrossCheckPlan.wholeRate else {
            throw WireError(.invalidField, "check rate \(rate) is above 2^32 (every task)")
        }
        try self.init(
            jobID: jobID, kernel: kernel, reduction: reduction, answer: answer, first: first, last: last,
            chunk: chunk, crossChecks: CrossCheckPlan(rate: rate, salt: reader.read()))
        guard self.taskCount == taskCount else {
            throw WireError(.invalidField, "task count \(taskCount) does not match the range and chunk (\(self.taskCount))")
        }
    }

    public func encode(into buffer: inout [UInt8]) {
        ByteWriter.write(into: &buffer, length: Self.length, type: Self.type) { writer in
            writer.append(reduction.rawValue)
            writer.append(answer.code)
            writer.append(jobID)
            writer.append(first)
            writer.append(last)
            writer.append(chunk)
            writer.append(taskCount)
            writer.append(answer.value ?? 0)
            writer.append(kernel)
            writer.append(crossChecks.rate)
            writer.append(crossChecks.salt)
        }
    }
}

/// How a job's range splits into tasks: the part of its announcement that the roles read per task and per result.
/// A hot path keeps its own copy: calling ``JobAnnouncement/range(ofTask:)`` there copied the whole announcement each
/// time, a fifth of the sink's time per result.
public struct TaskRanges: Hashable, Sendable {
    public let first: UInt64
    public let last: UInt64
    public let chunk: UInt64
    public let taskCount: UInt64

    /// The inclusive range of task `taskID`, or `nil` when the job has no such task.
    @inlinable @inline(__always)
    public func range(ofTask taskID: UInt64) -> ClosedRange<UInt64>? {
        guard taskID < taskCount else { return nil }
        // taskID * chunk < elementCount <= 2^64, so these never overflow.
        let lo = first + taskID * chunk
        let hi = last - lo < chunk - 1 ? last : lo + (chunk - 1)
        return lo...hi
    }
}
