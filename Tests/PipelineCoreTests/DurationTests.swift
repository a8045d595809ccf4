import Testing

@testable import PipelineCore

struct DurationTests {
    @Test func negativeDurationsClampToZeroNanosecondsInsteadOfTrapping() {
        #expect(Duration.milliseconds(-500).wholeNanoseconds == 0)
        #expect(Duration.nanoseconds(-1).wholeNanoseconds == 0)
        #expect(Duration.seconds(-3).wholeNanoseconds == 0)
        #expect(Duration.milliseconds(1_500).wholeNanoseconds == 1_500_000_000)
        #expect(Duration.seconds(Int64.max).wholeNanoseconds == .max)
    }
}
