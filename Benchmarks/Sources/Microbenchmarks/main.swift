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

import Foundation

let n = 1_000_000
let job = try JobAnnouncement(jobID: 1, kernel: SumKernel.id, first: 1, last: UInt64(n), chunk: 1)
var buffer: [UInt8] = []

measure("task: plan + encode", operations: n) {
    var sum: UInt64 = 0
    for id in 0..<UInt64(n) {
        job.task(id).encode(into: &buffer)
        sum &+= UInt64(buffer[3])
    }
    return sum
}
let taskFrame = job.task(12345).encoded()
measure("task: decode", operations: n) {
    var sum: UInt64 = 0
    taskFrame.withUnsafeBytes { bytes in
        for _ in 0..<n { sum &+= (try? RangeTask(decoding: bytes))?.lo ?? 0 }
    }
    return sum
}
let result = try TaskResult(jobID: 1, taskID: 2, workerID: 3, partial: 4, elementCount: 5, computeNanoseconds: 6)
measure("result: encode", operations: n) {
    var sum: UInt64 = 0
    for _ in 0..<n {
        result.encode(into: &buffer)
        sum &+= UInt64(buffer[10])
    }
    return sum
}
let resultFrame = result.encoded()
measure("result: decode (any message)", operations: n) {
    var sum: UInt64 = 0
    resultFrame.withUnsafeBytes { bytes in
        for _ in 0..<n {
            if case .result(let r)? = try? AnyMessage(decoding: bytes) { sum &+= r.taskID }
        }
    }
    return sum
}
measure("sum kernel: one task of 1000", operations: n) {
    var sum: UInt64 = 0
    for i in 0..<UInt64(n) { sum &+= UInt64(truncatingIfNeeded: SumKernel.evaluate(lo: i, hi: i + 999)) }
    return sum
}
measure("primes kernel: per element near 10^9", operations: 100_000) {
    UInt64(PrimeCountKernel.evaluate(lo: 1_000_000_000, hi: 1_000_099_999))
}
measure("primes kernel: per element near 2^63", operations: 100_000) {
    UInt64(PrimeCountKernel.evaluate(lo: 1 << 63, hi: (1 << 63) + 99_999))
}
