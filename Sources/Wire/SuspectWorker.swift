/// Ventilator → sink: a worker whose batches are lost while other workers' are delivered, so the ventilator stopped
/// feeding it for a while; the sink names it in the job's report.
///
/// Layout (33 + a bytes): version, type 0x09, job id u64, worker id u64, cause u8, tasks lost u64 (since it last
/// delivered), suspended for u32 milliseconds, address length a u16 (0 ... ``maxAddressBytes``), then the address the
/// worker's connection came from, in UTF-8 (empty when unknown).
public struct SuspectWorker: WireMessage {
    public static let type = MessageType.suspectWorker
    static let headerLength = 33
    /// The longest address carried; a longer one is cut.
    public static let maxAddressBytes = 255

    /// What the ventilator saw.
    public enum Cause: UInt8, Hashable, Sendable {
        /// The worker said it held nothing, yet the sink never acknowledged what it was sent: its results go elsewhere.
        case resultsElsewhere = 1
        /// The worker held its batches past their deadline without a result reaching the sink.
        case heldWithoutAnswer = 2
    }

    public let jobID: UInt64
    public let workerID: UInt64
    public let cause: Cause
    public let tasksLost: UInt64
    public let suspendedMilliseconds: UInt32
    /// Where its connection came from (an IP address), or empty.
    public let address: String

    public init(
        jobID: UInt64, workerID: UInt64, cause: Cause, tasksLost: UInt64, suspendedMilliseconds: UInt32, address: String
    ) {
        self.jobID = jobID
        self.workerID = workerID
        self.cause = cause
        self.tasksLost = tasksLost
        self.suspendedMilliseconds = suspendedMilliseconds
        self.address = String(truncatingUTF8: address, toBytes: Self.maxAddressBytes)
    }

    public init(decoding frame: UnsafeRawBufferPointer) throws(WireError) {
        try checkHeader(frame, type: Self.type, minimumLength: Self.headerLength)
        var reader = ByteReader(frame)
        let jobID: UInt64 = reader.read()
        let workerID: UInt64 = reader.read()
        let code: UInt8 = reader.read()
        guard let cause = Cause(rawValue: code) else {
            throw WireError(.invalidField, "a suspect worker's cause is 1 or 2, not \(code)")
        }
        let tasksLost: UInt64 = reader.read()
        let milliseconds: UInt32 = reader.read()
        let address = try reader.readReason(of: Self.type, allowed: 0...Self.maxAddressBytes, field: "address")
        self.init(
            jobID: jobID, workerID: workerID, cause: cause, tasksLost: tasksLost, suspendedMilliseconds: milliseconds,
            address: address)
    }

    public func encode(into buffer: inout [UInt8]) {
        let addressBytes = Array(address.utf8)
        ByteWriter.write(into: &buffer, length: Self.headerLength + addressBytes.count, type: Self.type) { writer in
            writer.append(jobID)
            writer.append(workerID)
            writer.append(cause.rawValue)
            writer.append(tasksLost)
            writer.append(suspendedMilliseconds)
            writer.appendReason(addressBytes)
        }
    }
}
