import Foundation
import TestSupport
import Testing

/// A worker built outside this package with a kernel of its own: `Examples/MonteCarloPi`, as its README builds it
/// (`scripts/test` does; `SCATTERGATHER_EXAMPLE_BIN` may point at another build).
@Suite(.timeLimit(.minutes(3)))
struct SwiftKernelTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static var exampleWorker: String {
        let folder =
            ProcessInfo.processInfo.environment["SCATTERGATHER_EXAMPLE_BIN"]
            ?? repository.appendingPathComponent("Examples/MonteCarloPi/.build/release").path
        return folder + "/mc-pi-worker"
    }

    /// The example's kernel written again in Python from its description, so the pipeline's total is checked against
    /// an independent implementation.
    static let independentCount = """
        import sys
        M = (1 << 64) - 1
        def mix(z):
            z = (z + 0x9E3779B97F4A7C15) & M
            z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
            z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
            return z ^ (z >> 31)
        n = int(sys.argv[1])
        print(sum(1 for i in range(1, n + 1) if (mix(2 * i) >> 32) ** 2 + (mix(2 * i + 1) >> 32) ** 2 < 1 << 64))
        """

    @Test func theMonteCarloPiExampleWorkerRunsItsKernelInAMixedPool() async throws {
        try #require(
            FileManager.default.isExecutableFile(atPath: Self.exampleWorker),
            "\(Self.exampleWorker) is not built: swift build -c release --package-path Examples/MonteCarloPi (scripts/test does)")
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = ["python3", "-c", Self.independentCount, "200000"]
        let output = Pipe()
        python.standardOutput = output
        try python.run()
        python.waitUntilExit()
        let expected = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let hits = try #require(Double(expected))
        #expect(abs(4 * hits / 200_000 - Double.pi) < 0.02)

        let pipeline = try await LivePipeline()
        let (ventilator, tasks) = try await pipeline.ventilator(
            ["--kernel", "mc-pi", "--n", "2e5", "--chunk", "1000", "--expect", expected])
        let example = try RunningProcess(
            URL(fileURLWithPath: Self.exampleWorker), ["--tasks", tasks, "--results", pipeline.results, "--id", "e1"])
        let plain = try pipeline.worker(tasks: [tasks], extra: ["--id", "f2"])
        #expect(try await ventilator.waitForExit() == 0, "\(ventilator.standardOutput)\(ventilator.standardError)")
        #expect(ventilator.standardOutput.contains("total: \(expected)"))
        #expect(ventilator.standardOutput.contains("verified: yes"))
        #expect(try await pipeline.sink.waitForExit() == 0)
        #expect(tasksOfWorker("00000000000000e1", in: pipeline.sink.standardOutput) == 200)
        #expect(tasksOfWorker("00000000000000f2", in: pipeline.sink.standardOutput) == 0)
        example.signal()
        plain.signal()
        #expect(try await example.waitForExit(timeout: .seconds(60)) == 0)
        #expect(example.standardError.contains("kernels sum, primes, primes-mr, mc-pi"))
    }
}
