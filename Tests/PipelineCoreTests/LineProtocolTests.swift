import Testing
import Wire

@testable import PipelineCore

/// The command kernels' line protocol, parsed and written with plain bytes.
struct LineProtocolTests {
    func parse(_ line: String) throws(LineProtocol.Malformed) -> (taskID: UInt64, value: Int128) {
        try LineProtocol.parseResult(Array(line.utf8)[...])
    }

    @Test func taskLinesAreThreeDecimalsAndANewline() throws {
        var buffer: [UInt8] = []
        LineProtocol.appendTaskLine(try RangeTask(jobID: 1, taskID: 0, lo: 7, hi: 10), to: &buffer)
        LineProtocol.appendTaskLine(try RangeTask(jobID: 1, taskID: .max, lo: .max, hi: .max), to: &buffer)
        #expect(
            String(decoding: buffer, as: UTF8.self) == "0 7 10\n18446744073709551615 18446744073709551615 18446744073709551615\n")
    }

    @Test func resultsTakeAnySigned128BitValue() throws {
        #expect(try parse("3 955") == (3, 955))
        #expect(try parse("3 -955\r") == (3, -955))
        #expect(try parse("18446744073709551615 170141183460469231731687303715884105727") == (.max, .max))
        #expect(try parse("0 -170141183460469231731687303715884105728") == (0, .min))
        #expect(try parse("1 007") == (1, 7))
    }

    @Test(arguments: [
        "", "3", "3 ", " 3 4", "3  4", "3 4 5", "x 4", "3 4.0", "3 +4", "3 -", "-3 4", "3 1e3",
        "18446744073709551616 1", "1 170141183460469231731687303715884105728",
        "1 -170141183460469231731687303715884105729",
    ])
    func anythingElseIsMalformed(line: String) {
        #expect(throws: LineProtocol.Malformed.self) { try parse(line) }
    }
}
