import Foundation
// Codec and kernel microbenchmarks: nanoseconds per operation, best of five runs.
import Kernels
import Wire

func measure(_ name: String, operations: Int, _ body: () -> UInt64) {
    var best = Double.infinity
    var sink: UInt64 = 0
    for _ in 0..<5 {
        let start = ContinuousClock.now
        sink &+= body()
        let (whole, fraction) = (ContinuousClock.now - start).components
        best = min(best, (Double(whole) + Double(fraction) / 1e18) * 1e9 / Double(operations))
    }
    let padded = name.padding(toLength: 40, withPad: " ", startingAt: 0)
    print("\(padded) \(String(format: "%8.1f", best)) ns/op   (checksum \(sink % 1000))")
}

let n = 1_000_000
let batchSize = 64
let job = try JobAnnouncement(jobID: 1, kernel: try KernelName("sum"), first: 1, last: UInt64(n), chunk: 1)
var buffer: [UInt8] = []
var tasks: [RangeTask] = []

measure("task batch of 64: plan + encode, per task", operations: n) {
    var sum: UInt64 = 0
    for start in stride(from: UInt64(0), to: UInt64(n), by: batchSize) {
        tasks.removeAll(keepingCapacity: true)
        for id in start..<start + UInt64(batchSize) { tasks.append(job.task(id)) }
        try! TaskBatch(kernel: job.kernel, tasks).encode(into: &buffer)
        sum &+= UInt64(buffer[44])
    }
    return sum
}
let taskFrame = try TaskBatch(kernel: job.kernel, (0..<UInt64(batchSize)).map { job.task($0) }).encoded()
measure("task batch of 64: decode, per task", operations: n) {
    var sum: UInt64 = 0
    taskFrame.withUnsafeBytes { bytes in
        for _ in 0..<(n / batchSize) { sum &+= (try? TaskBatch(decoding: bytes))?.tasks.last?.lo ?? 0 }
    }
    return sum
}
let results = try ResultBatch(
    (0..<UInt64(batchSize)).map {
        try TaskResult(jobID: 1, taskID: $0, workerID: 3, partial: 4, elementCount: 1, computeNanoseconds: 6)
    })
measure("result batch of 64: encode, per result", operations: n) {
    var sum: UInt64 = 0
    for _ in 0..<(n / batchSize) {
        results.encode(into: &buffer)
        sum &+= UInt64(buffer[20])
    }
    return sum
}
let resultFrame = results.encoded()
measure("result batch of 64: decode, per result", operations: n) {
    var sum: UInt64 = 0
    resultFrame.withUnsafeBytes { bytes in
        for _ in 0..<(n / batchSize) {
            if case .results(let batch)? = try? AnyMessage(decoding: bytes) { sum &+= batch.results[1].taskID }
        }
    }
    return sum
}
let single = try TaskBatch(kernel: job.kernel, [job.task(7)])
measure("single-task batch: encode", operations: n) {
    var sum: UInt64 = 0
    for _ in 0..<n {
        single.encode(into: &buffer)
        sum &+= UInt64(buffer[44])
    }
    return sum
}
measure("sum kernel: one task of 1000", operations: n) {
    var sum: UInt64 = 0
    for i in 0..<UInt64(n) { sum &+= UInt64(truncatingIfNeeded: SumKernel.evaluate(lo: i, hi: i + 999)) }
    return sum
}
measure("primes-mr kernel: per element near 10^9", operations: 100_000) {
    UInt64(PrimeTestKernel.evaluate(lo: 1_000_000_000, hi: 1_000_099_999))
}
measure("primes-mr kernel: per element near 2^63", operations: 100_000) {
    UInt64(PrimeTestKernel.evaluate(lo: 1 << 63, hi: (1 << 63) + 99_999))
}
measure("primes kernel (sieve): per element near 10^10, tasks of 10^7", operations: 10_000_000) {
    UInt64(PrimeCountKernel.evaluate(lo: 10_000_000_000, hi: 10_009_999_999))
}
