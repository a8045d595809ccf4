import ScatterGatherWorker

/// Monte Carlo π: for each element i of a task's range, a point (x, y) of the unit square drawn from a counter-based
/// random sequence; the value is how many of the task's points fall inside the quarter circle x² + y² < 1.
///
/// Counter-based means point i depends on i alone (SplitMix64 of 2i and 2i + 1), so a task re-run after a lost result
/// gives the same count, and the job's total is the same whatever the split: π ≈ 4 · total / N.
enum MonteCarloPi: Kernel {
    static let name = "mc-pi"
    static let summary = "points of a fixed pseudo-random sequence inside the unit circle (pi ~ 4 * total / N)"

    static func evaluate(lo: UInt64, hi: UInt64) -> Int128 {
        var inside: UInt64 = 0
        var i = lo
        while true {
            // Coordinates are 32-bit fixed-point fractions, so x² + y² < 2^64 is exact integer arithmetic.
            let x = splitMix64(i &* 2) >> 32
            let y = splitMix64(i &* 2 &+ 1) >> 32
            let (_, overflow) = (x * x).addingReportingOverflow(y * y)
            if !overflow { inside += 1 }
            if i == hi { break }
            i += 1
        }
        return Int128(inside)
    }

    /// SplitMix64's output function: a bijective mix of a 64-bit counter.
    @inline(__always)
    static func splitMix64(_ counter: UInt64) -> UInt64 {
        var z = counter &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
