// baseline a pipeline's speedup is measured against. Prints `seconds <s>` and `total <value>`.
//
// Usage: kernel-baseline KERNEL FROM TO CHUNK
import Kernels
import Wire

// Runs a kernel over [FROM, TO] in chunks of CHUNK on one thread, with no messaging: the single-process
#if canImport(Glibc)
    import Glibc
#endif

let arguments = CommandLine.arguments
guard arguments.count == 5, let kernel = KernelRegistry.kernel(named: arguments[1]),
    let first = UInt64(arguments[2]), let last = UInt64(arguments[3]), let chunk = UInt64(arguments[4]),
    let name = try? KernelName(kernel.name),
    let job = try? JobAnnouncement(jobID: 1, kernel: name, first: first, last: last, chunk: chunk)
else {
    print("usage: kernel-baseline sum|primes FROM TO CHUNK")
    exit(64)
}
let start = ContinuousClock.now
var total: Int128 = 0
for id in 0..<job.taskCount {
    let task = job.task(id)
    total += kernel.evaluate(lo: task.lo, hi: task.hi)
}
let (whole, fraction) = (ContinuousClock.now - start).components
print("seconds \(Double(whole) + Double(fraction) / 1e18)")
print("total \(total)")
