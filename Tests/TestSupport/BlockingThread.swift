import Foundation

/// Runs blocking libzmq code on a thread of its own (never on Swift's cooperative pool) and hands back its result.
public final class BlockingThread<Value: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var outcome: Result<Value, any Error>?

    private init() {}

    /// Starts `body` on a new thread.
    public static func run(_ body: @escaping @Sendable () throws -> Value) -> BlockingThread<Value> {
        let handle = BlockingThread<Value>()
        Thread {
            let outcome = Result { try body() }
            handle.condition.lock()
            handle.outcome = outcome
            handle.condition.broadcast()
            handle.condition.unlock()
        }.start()
        return handle
    }

    /// Whether the body has finished.
    public var isFinished: Bool {
        condition.lock()
        defer { condition.unlock() }
        return outcome != nil
    }

    /// Waits for the body to finish and returns its value, or rethrows its error.
    public func value(timeout: Duration = .seconds(60)) throws -> Value {
        try wait(timeout: timeout).get()
    }

    /// Waits for the body to finish and returns how it finished.
    public func wait(timeout: Duration = .seconds(60)) throws -> Result<Value, any Error> {
        condition.lock()
        defer { condition.unlock() }
        let deadline = Date().addingTimeInterval(Double(timeout.components.seconds))
        while outcome == nil {
            if !condition.wait(until: deadline) { throw TimedOut(what: "a blocking thread", after: timeout) }
        }
        return outcome!
    }
}

/// A wait ran out of time.
public struct TimedOut: Error, CustomStringConvertible {
    public let what: String
    public let after: Duration
    public var description: String { "timed out after \(after) waiting for \(what)" }

    public init(what: String, after: Duration) {
        self.what = what
        self.after = after
    }
}

/// One value handed from one thread to another.
public final class Mailbox<Value: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var value: Value?

    public init() {}

    public func put(_ newValue: Value) {
        condition.lock()
        value = newValue
        condition.broadcast()
        condition.unlock()
    }

    public func take(timeout: Duration = .seconds(10)) throws -> Value {
        condition.lock()
        defer { condition.unlock() }
        let deadline = Date().addingTimeInterval(Double(timeout.components.seconds))
        while value == nil {
            if !condition.wait(until: deadline) { throw TimedOut(what: "a mailbox", after: timeout) }
        }
        return value!
    }
}
