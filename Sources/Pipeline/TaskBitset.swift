/// One bit per task id: which tasks of a job have been aggregated.
struct TaskBitset {
    private var words: [UInt64]

    init(count: UInt64) {
        words = Array(repeating: 0, count: Int((count + 63) / 64))
    }

    /// Sets the bit for `id` and returns whether it was clear before.
    @inline(__always)
    mutating func insert(_ id: UInt64) -> Bool {
        let index = Int(id >> 6)
        let mask: UInt64 = 1 << (id & 63)
        let wasClear = words[index] & mask == 0
        words[index] |= mask
        return wasClear
    }

    func contains(_ id: UInt64) -> Bool {
        words[Int(id >> 6)] & (1 << (id & 63)) != 0
    }
}
