import Testing

@testable import CommandSupport

/// Integers as people type them, and command lines split as a shell splits simple words.
struct ArgumentFormTests {
    @Test func integersInEveryForm() throws {
        let forms: [(String, UInt64)] = [
            ("1000000000", 1_000_000_000), ("1_000_000_000", 1_000_000_000), ("1e9", 1_000_000_000),
            ("1E9", 1_000_000_000), ("1.5e9", 1_500_000_000), ("10^9", 1_000_000_000), ("0", 0),
            ("1.0", 1), ("+7", 7), ("18446744073709551615", .max), ("1.25e2", 125),
        ]
        for (text, value) in forms {
            #expect(try IntegerArgument.unsigned(text) == value, "\(text)")
        }
        #expect(try IntegerArgument.signed128("-2^127") == .min)
        #expect(try IntegerArgument.signed128("-1e38") == -100_000_000_000_000_000_000_000_000_000_000_000_000)
        #expect(throws: (any Error).self) { try IntegerArgument.signed128("2^127") }
    }

    @Test(arguments: ["1.5", "1e-3", "2^64", "-1", "ten", "1__0", "_1", "1e", "^9", "10^", "", "1.2.3", "0x10", "1e40"])
    func anythingElseIsAUsageError(text: String) {
        #expect(throws: (any Error).self) { try IntegerArgument.unsigned(text) }
    }

    @Test func commandLinesSplitIntoWords() throws {
        #expect(try CommandWords.split("python3 x.py") == ["python3", "x.py"])
        #expect(try CommandWords.split("  sh -c 'echo  $X | wc'  ") == ["sh", "-c", "echo  $X | wc"])
        #expect(try CommandWords.split(#"a "b c" d\ e "f\"g" ''"#) == ["a", "b c", "d e", "f\"g", ""])
        #expect(throws: CommandWords.Problem.self) { try CommandWords.split("a 'b") }
        #expect(throws: CommandWords.Problem.self) { try CommandWords.split("a\\") }
        #expect(throws: CommandWords.Problem.self) { try CommandWords.split("   ") }
    }
}
