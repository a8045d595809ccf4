package import Wire

/// The line protocol between a worker and a command kernel's process: one ASCII line per task in
/// (`TASK_ID LO HI\n`), one per result out (`TASK_ID VALUE\n`, VALUE a decimal integer that may be negative and
/// fits a signed 128-bit integer). Pure formatting and parsing; the worker's `CommandKernel` does the IO.
package enum LineProtocol {
    /// The longest result line accepted, without its newline; a longer one is malformed.
    package static let maxLineBytes = 256

    /// Appends the line that gives `task` to the process.
    package static func appendTaskLine(_ task: RangeTask, to buffer: inout [UInt8]) {
        appendDecimal(task.taskID, to: &buffer)
        buffer.append(UInt8(ascii: " "))
        appendDecimal(task.lo, to: &buffer)
        buffer.append(UInt8(ascii: " "))
        appendDecimal(task.hi, to: &buffer)
        buffer.append(UInt8(ascii: "\n"))
    }

    /// Why a result line is not one.
    package struct Malformed: Error, Equatable, CustomStringConvertible {
        package let description: String
    }

    /// Reads one result line (without its `\n`; a trailing `\r` is allowed): `TASK_ID VALUE`.
    package static func parseResult(_ line: ArraySlice<UInt8>) throws(Malformed) -> (taskID: UInt64, value: Int128) {
        var line = line
        if line.last == UInt8(ascii: "\r") { line.removeLast() }
        guard let space = line.firstIndex(of: UInt8(ascii: " ")) else {
            throw Malformed(description: "\(quoted(line)) is not 'TASK_ID VALUE'")
        }
        guard let taskID = parseUnsigned(line[..<space]) else {
            throw Malformed(description: "\(quoted(line)): the task id is not a decimal number below 2^64")
        }
        guard let value = parseSigned(line[(space + 1)...]) else {
            throw Malformed(description: "\(quoted(line)): the value is not a decimal integer within signed 128 bits")
        }
        return (taskID, value)
    }

    static func parseUnsigned(_ digits: ArraySlice<UInt8>) -> UInt64? {
        guard !digits.isEmpty, digits.count <= 20 else { return nil }
        var value: UInt64 = 0
        for byte in digits {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
            guard !o1, !o2 else { return nil }
            value = sum
        }
        return value
    }

    static func parseSigned(_ text: ArraySlice<UInt8>) -> Int128? {
        let negative = text.first == UInt8(ascii: "-")
        let digits = negative ? text.dropFirst() : text
        guard !digits.isEmpty, digits.count <= 40 else { return nil }
        // Accumulate negatively, so Int128.min parses too.
        var value: Int128 = 0
        for byte in digits {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) = times10.subtractingReportingOverflow(Int128(byte - UInt8(ascii: "0")))
            guard !o1, !o2 else { return nil }
            value = next
        }
        if negative { return value }
        guard value != .min else { return nil }
        return -value
    }

    private static func appendDecimal(_ value: UInt64, to buffer: inout [UInt8]) {
        var divisor: UInt64 = 1
        while value / divisor >= 10 { divisor *= 10 }
        while divisor > 0 {
            buffer.append(UInt8(ascii: "0") + UInt8((value / divisor) % 10))
            divisor /= 10
        }
    }

    /// A short, printable rendering of a line from a process, for logs.
    package static func quoted(_ line: ArraySlice<UInt8>) -> String {
        let shown = line.prefix(60).map { (32...126).contains($0) ? String(UnicodeScalar($0)) : "?" }.joined()
        return "'" + shown + (line.count > 60 ? "…" : "") + "'"
    }
}
