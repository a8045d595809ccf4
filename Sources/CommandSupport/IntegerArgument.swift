public import ArgumentParser

/// Integers as people type them: `1000000000`, `1_000_000_000`, `1e9`, `1.5e9`, `10^9`, `-42`.
///
/// The value must be an exact integer within the option's range; anything else is a usage error that says so.
/// Use as an option's transform: `@Option(transform: IntegerArgument.parse) var n: UInt64?`.
public enum IntegerArgument {
    /// What the forms look like, for error messages.
    public static let forms = "digits (1000000000 or 1_000_000_000), 1e9, 1.5e9 or 10^9"

    /// Parses `text` as an exact integer of type `T`, or throws a usage error naming the problem.
    public static func parse<T: FixedWidthInteger>(_ text: String) throws -> T {
        let (negative, magnitude) = try exactValue(text)
        let value: T? =
            negative
            ? (magnitude == 0
                ? 0 : (T.isSigned && magnitude <= UInt128(T.min.magnitude) ? T(truncatingIfNeeded: 0 &- magnitude) : nil))
            : (magnitude <= UInt128(T.max) ? T(magnitude) : nil)
        guard let value else {
            throw ValidationError("'\(text)' is outside the range this option takes, \(T.min) to \(T.max)")
        }
        return value
    }

    /// `UInt64` options.
    public static func unsigned(_ text: String) throws -> UInt64 { try parse(text) }
    /// Signed 128-bit options, such as `--expect`.
    public static func signed128(_ text: String) throws -> Int128 { try parse(text) }

    /// The sign and magnitude of `text`, at most 2^128 - 1.
    static func exactValue(_ text: String) throws -> (negative: Bool, magnitude: UInt128) {
        var body = Substring(text)
        let negative = body.first == "-"
        if negative || body.first == "+" { body = body.dropFirst() }
        let notANumber = ValidationError("'\(text)' is not an integer; write \(forms)")
        let tooLarge = ValidationError("'\(text)' is too large; at most 2^128 - 1")
        if let caret = body.firstIndex(of: "^") {
            guard let base = digits(body[..<caret]), let exponent = digits(body[body.index(after: caret)...]) else {
                throw notANumber
            }
            guard let value = power(base, exponent) else { throw tooLarge }
            return (negative, value)
        }
        var exponent: UInt128 = 0
        var mantissa = body
        if let e = body.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            let exponentText = body[body.index(after: e)...]
            if exponentText.first == "-" {
                throw ValidationError("'\(text)' is not an exact integer (a negative exponent); write \(forms)")
            }
            guard let parsed = digits(exponentText.first == "+" ? exponentText.dropFirst() : exponentText) else {
                throw notANumber
            }
            exponent = parsed
            mantissa = body[..<e]
        }
        var fraction: Substring = ""
        if let point = mantissa.firstIndex(of: ".") {
            fraction = mantissa[mantissa.index(after: point)...]
            mantissa = mantissa[..<point]
        }
        guard let whole = digits(mantissa), fraction.isEmpty || digits(fraction) != nil else { throw notANumber }
        // Shift the fraction's digits into the integer part, exponent by exponent; what remains must be zeros.
        var value = whole
        var remaining = Array(fraction.filter { $0 != "_" })
        var shift = exponent
        while shift > 0 {
            let digit = remaining.isEmpty ? 0 : UInt128(remaining.removeFirst().wholeNumberValue ?? 0)
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) = times10.addingReportingOverflow(digit)
            guard !o1, !o2 else { throw tooLarge }
            value = next
            shift -= 1
        }
        guard remaining.allSatisfy({ $0 == "0" }) else {
            throw ValidationError("'\(text)' is not an exact integer; write \(forms)")
        }
        return (negative, value)
    }

    /// Decimal digits with optional single underscores between them, or `nil`.
    static func digits(_ text: Substring) -> UInt128? {
        guard let first = text.first, let last = text.last, first.isASCII, first.isNumber, last.isASCII, last.isNumber,
            !text.contains("__")
        else { return nil }
        var value: UInt128 = 0
        for character in text where character != "_" {
            guard character.isASCII, let digit = character.wholeNumberValue else { return nil }
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) = times10.addingReportingOverflow(UInt128(digit))
            guard !o1, !o2 else { return nil }
            value = next
        }
        return value
    }

    private static func power(_ base: UInt128, _ exponent: UInt128) -> UInt128? {
        var result: UInt128 = 1
        var count = exponent
        while count > 0 {
            if base <= 1 { return base == 0 ? 0 : 1 }
            let (next, overflow) = result.multipliedReportingOverflow(by: base)
            guard !overflow else { return nil }
            result = next
            count -= 1
        }
        return result
    }
}
