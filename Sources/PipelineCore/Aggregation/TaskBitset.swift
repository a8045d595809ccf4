/// One bit per task id: which tasks of a job have been aggregated.
package struct TaskBitset: Equatable {
    package private(set) var words: [UInt64]

    package init(count: UInt64) {
        words = Array(repeating: 0, count: Self.wordCount(for: count))
    }

    /// A set read back from `words`; `nil` unless there are exactly enough words for `count` ids
    /// and no bit past `count` is set.
    package init?(words: [UInt64], count: UInt64) {
        guard words.count == Self.wordCount(for: count) else { return nil }
        if count % 64 != 0, let last = words.last, last >> (count % 64) != 0 { return nil }
        self.words = words
    }

    package static func wordCount(for count: UInt64) -> Int { Int((count + 63) / 64) }

    /// Sets the bit for `id` and returns whether it was clear before.
    @inline(__always)
    package mutating func insert(_ id: UInt64) -> Bool {
        let index = Int(id >> 6)
        let mask: UInt64 = 1 << (id & 63)
        let wasClear = words[index] & mask == 0
        words[index] |= mask
        return wasClear
    }

    /// Clears the bit for `id` and returns whether it was set.
    @discardableResult
    package mutating func remove(_ id: UInt64) -> Bool {
        let index = Int(id >> 6)
        let mask: UInt64 = 1 << (id & 63)
        let wasSet = words[index] & mask != 0
        words[index] &= ~mask
        return wasSet
    }

    @inline(__always)
    package func contains(_ id: UInt64) -> Bool {
        words[Int(id >> 6)] & (1 << (id & 63)) != 0
    }

    /// How many ids are in the set.
    package var count: UInt64 {
        words.reduce(0) { $0 + UInt64($1.nonzeroBitCount) }
    }

    /// Calls `body` with each maximal run of consecutive ids in the set, in order.
    package func forEachRun(_ body: (Range<UInt64>) -> Void) {
        var start: UInt64?
        for (index, word) in words.enumerated() {
            if word == 0, start == nil { continue }
            if word == .max, start != nil { continue }
            let base = UInt64(index) << 6
            for bit in 0..<UInt64(64) {
                let set = word & (1 << bit) != 0
                if set, start == nil {
                    start = base + bit
                } else if !set, let first = start {
                    body(first..<(base + bit))
                    start = nil
                }
            }
        }
        if let first = start { body(first..<(UInt64(words.count) << 6)) }
    }
}
