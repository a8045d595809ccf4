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

    /// Calls `body` with the words in place (bit `id & 63` of word `id >> 6` is `id`'s): a loop that tests and sets
    /// many bits pays for one uniqueness check, not one a bit.
    @inline(__always)
    package mutating func withUnsafeMutableWords<Result>(_ body: (UnsafeMutableBufferPointer<UInt64>) -> Result) -> Result {
        words.withUnsafeMutableBufferPointer { body($0) }
    }

    @inline(__always)
    package func contains(_ id: UInt64) -> Bool {
        words[Int(id >> 6)] & (1 << (id & 63)) != 0
    }

    /// Sets the bits for `ids`, a word at a time, and returns how many were clear before.
    package mutating func insert(_ ids: Range<UInt64>) -> UInt64 {
        var inserted: UInt64 = 0
        Self.forEachWord(of: ids) { index, mask in
            inserted += UInt64((~words[index] & mask).nonzeroBitCount)
            words[index] |= mask
        }
        return inserted
    }

    /// Clears the bits for `ids`, a word at a time.
    package mutating func remove(_ ids: Range<UInt64>) {
        Self.forEachWord(of: ids) { index, mask in words[index] &= ~mask }
    }

    /// Whether every id of `ids` is in the set, a word at a time.
    package func containsAll(_ ids: Range<UInt64>) -> Bool {
        var all = true
        Self.forEachWord(of: ids) { index, mask in all = all && words[index] & mask == mask }
        return all
    }

    /// Calls `body` with each word's index and the mask of the bits of `ids` in it, in order.
    @inline(__always)
    private static func forEachWord(of ids: Range<UInt64>, _ body: (Int, UInt64) -> Void) {
        var id = ids.lowerBound
        while id < ids.upperBound {
            let offset = id & 63
            let bits = min(64 - offset, ids.upperBound - id)
            body(Int(id >> 6), (bits == 64 ? UInt64.max : (1 << bits) - 1) << offset)
            id += bits
        }
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
