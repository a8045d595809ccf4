/// Values by task id, kept in ascending order of task: for keys that arrive nearly in order and leave nearly in the
/// order they came, as open cross-checks do (a worker's checks open in the order of its batches, and the requests for
/// them are answered in that order).
///
/// A new key past the last is appended; a removed one is marked closed, and the head moves past closed entries. The
/// ids are searched in an array of their own, small enough to stay in cache, and the values touched are those at the
/// window's two ends. A hash table reads a slot at random each time: in the sink, sharing 2 cores with the other
/// roles, those missed the cache on nearly every check (`perf`: its lookups, insertions and removals took about 55 ms
/// of a 2·10^7-task job's 200,000 checks, 0.27 µs each; this window about a third of that).
package struct OpenWindow<Value> {
    /// In ascending order from `head` on; those before it are closed.
    private var tasks: [UInt64] = []
    private var values: [Value] = []
    private var isOpen: [Bool] = []
    private var head = 0
    package private(set) var count = 0

    package init() {}

    /// The index of the entry of `task` (open or closed), or where it would go.
    @inline(__always)
    private func position(of task: UInt64) -> (index: Int, found: Bool) {
        let end = tasks.count
        // Opening: a task later than every other.
        if head == end || tasks[end - 1] < task { return (end, false) }
        return tasks.withUnsafeBufferPointer { tasks in
            // Branch-free: a binary search's branches are a coin toss each, mispredicted half the time.
            var (base, length) = (head, end - head)
            while length > 1 {
                let half = length / 2
                base = tasks[base + half] < task ? base + half : base
                length -= half
            }
            if tasks[base] < task { base += 1 }
            return (base, base < end && tasks[base] == task)
        }
    }

    /// The value of `task`, if it is open; setting `nil` removes it.
    package subscript(task: UInt64) -> Value? {
        get {
            let (index, found) = position(of: task)
            return found && isOpen[index] ? values[index] : nil
        }
        set {
            guard let newValue else {
                removeValue(forKey: task)
                return
            }
            let (index, found) = position(of: task)
            if found {
                if !isOpen[index] { count += 1 }
                isOpen[index] = true
                values[index] = newValue
                return
            }
            if index == tasks.count {
                tasks.append(task)
                values.append(newValue)
                isOpen.append(true)
            } else {
                tasks.insert(task, at: index)
                values.insert(newValue, at: index)
                isOpen.insert(true, at: index)
            }
            count += 1
        }
    }

    /// Changes the value of `task`, if it is open, in place; returns what `body` returns, or `nil` when it is not.
    @inline(__always)
    package mutating func update<Result>(_ task: UInt64, _ body: (inout Value) -> Result) -> Result? {
        let (index, found) = position(of: task)
        guard found && isOpen[index] else { return nil }
        return body(&values[index])
    }

    /// Removes `task`, if it is open and `condition` holds for its value; returns whether it did.
    @inline(__always)
    package mutating func remove(_ task: UInt64, if condition: (Value) -> Bool) -> Bool {
        let (index, found) = position(of: task)
        guard found && isOpen[index] && condition(values[index]) else { return false }
        close(at: index)
        return true
    }

    /// Removes `task`; returns its value, or `nil` when it was not open.
    @discardableResult
    package mutating func removeValue(forKey task: UInt64) -> Value? {
        let (index, found) = position(of: task)
        guard found && isOpen[index] else { return nil }
        let value = values[index]
        close(at: index)
        return value
    }

    /// Calls `body` with each open task and its value, which it may change, in ascending order of task.
    package mutating func updateEach(_ body: (UInt64, inout Value) -> Void) {
        for index in head..<tasks.count where isOpen[index] {
            body(tasks[index], &values[index])
        }
    }

    /// Every open task and its value, in ascending order of task.
    package var all: [(task: UInt64, value: Value)] {
        (head..<tasks.count).compactMap { isOpen[$0] ? (tasks[$0], values[$0]) : nil }
    }

    private mutating func close(at index: Int) {
        isOpen[index] = false
        count -= 1
        if index == head {
            advanceHead()
        } else if tasks.count - head >= 4 * count + 4096 {
            dropClosed()
        }
    }

    /// Moves the head past closed entries, and drops those before it once they are as many as those after it.
    private mutating func advanceHead() {
        while head < tasks.count && !isOpen[head] { head += 1 }
        if head == tasks.count {
            tasks.removeAll(keepingCapacity: true)
            values.removeAll(keepingCapacity: true)
            isOpen.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 1024 && head * 2 >= tasks.count {
            tasks.removeFirst(head)
            values.removeFirst(head)
            isOpen.removeFirst(head)
            head = 0
        }
    }

    /// Drops every closed entry: when an early entry stays open (its check waits for a repeated request) while later
    /// ones close behind it, once they outnumber the open ones by far, so that every step stays amortized constant.
    private mutating func dropClosed() {
        let kept = (head..<tasks.count).filter { isOpen[$0] }
        tasks = kept.map { tasks[$0] }
        values = kept.map { values[$0] }
        isOpen = Array(repeating: true, count: kept.count)
        head = 0
    }
}
