import ArgumentParser
import CommandSupport
import Testing

struct EnvironmentOptionsTests {
    let options = EnvironmentOptions(
        role: "worker", options: [("tasks", .repeatable), ("results", .option), ("log-level", .option), ("insecure", .flag)])

    @Test func variablesAreNamedAfterTheRoleAndTheOption() {
        #expect(options.variable(for: "log-level") == "SCATTERGATHER_WORKER_LOG_LEVEL")
        #expect(options.helpText.contains("SCATTERGATHER_WORKER_TASKS, SCATTERGATHER_WORKER_RESULTS"))
    }

    @Test func theEnvironmentFillsInWhatTheCommandLineLeavesOut() throws {
        let arguments = try options.arguments(
            ["--results", "tcp://a:1"],
            environment: [
                "SCATTERGATHER_WORKER_RESULTS": "tcp://ignored:2", "SCATTERGATHER_WORKER_LOG_LEVEL": "debug",
                "SCATTERGATHER_WORKER_TASKS": "tcp://v1:5557, tcp://v2:5557", "SCATTERGATHER_WORKER_INSECURE": "yes",
                "SCATTERGATHER_SINK_JOBS": "3", "PATH": "/bin",
            ])
        #expect(
            arguments == [
                "--results", "tcp://a:1", "--tasks", "tcp://v1:5557", "--tasks", "tcp://v2:5557", "--log-level", "debug",
                "--insecure",
            ])
    }

    @Test func commandsComeOnePerLineBecauseTheyHoldSpacesAndCommas() throws {
        let withCommands = EnvironmentOptions(
            role: "worker", options: [("tasks", .repeatable), ("command", .repeatable)], oneValuePerLine: ["command"])
        let arguments = try withCommands.arguments(
            [],
            environment: [
                "SCATTERGATHER_WORKER_COMMAND": "a=python3 x.py\n\n  b=sh -c 'y, z'\n",
                "SCATTERGATHER_WORKER_TASKS": "tcp://v1:5557,tcp://v2:5557",
            ])
        #expect(
            arguments == [
                "--tasks", "tcp://v1:5557", "--tasks", "tcp://v2:5557", "--command", "a=python3 x.py", "--command",
                "b=sh -c 'y, z'",
            ])
    }

    @Test func anOptionGivenAsNameEqualsValueAlsoWins() throws {
        let arguments = try options.arguments(["--results=tcp://a:1"], environment: ["SCATTERGATHER_WORKER_RESULTS": "tcp://b:2"])
        #expect(arguments == ["--results=tcp://a:1"])
    }

    @Test func aFlagSetToNoIsLeftOut() throws {
        #expect(try options.arguments([], environment: ["SCATTERGATHER_WORKER_INSECURE": "0"]) == [])
        #expect(try options.arguments([], environment: ["SCATTERGATHER_WORKER_INSECURE": "off"]) == [])
    }

    @Test(arguments: [
        (["SCATTERGATHER_WORKER_TASK": "tcp://a:1"], "SCATTERGATHER_WORKER_TASK is set, but names no option"),
        (["SCATTERGATHER_WORKER_INSECURE": "maybe"], "SCATTERGATHER_WORKER_INSECURE='maybe' is not a yes or no"),
        (["SCATTERGATHER_WORKER_TASKS": " , "], "SCATTERGATHER_WORKER_TASKS is set but empty"),
    ])
    func aBadVariableIsAnErrorNamingIt(environment: [String: String], message: String) {
        let error = #expect(throws: EnvironmentOptions.Problem.self) { try options.arguments([], environment: environment) }
        #expect(error?.description.hasPrefix(message) == true, "\(String(describing: error))")
    }

    struct Sample: ParsableArguments {
        @Option var tasks: [String] = []
        @Option(name: .customLong("job-id")) var jobID: String?
        @Flag var insecure = false
        @Argument var names: [String] = []
        @OptionGroup var process: ProcessOptions
    }

    @Test func theVariablesAreDerivedFromTheOptionsThemselves() {
        let derived = EnvironmentOptions(role: "sample", arguments: Sample.self)
        #expect(derived.options.map(\.name) == ["tasks", "job-id", "insecure", "log-level", "exit-with-parent"])
        #expect(derived.options.map(\.kind) == [.repeatable, .option, .flag, .option, .flag])
    }

    /// The shipped ventilator.env sets N; a user who gives --from and --to on the command line must get them.
    @Test func theCommandLinesChoiceAmongAlternativesWins() throws {
        let options = EnvironmentOptions(
            role: "ventilator", options: [("n", .option), ("from", .option), ("to", .option), ("kernel", .option)],
            alternatives: [["n"], ["from", "to"]])
        let environment = ["SCATTERGATHER_VENTILATOR_N": "1000", "SCATTERGATHER_VENTILATOR_KERNEL": "primes"]
        #expect(
            try options.arguments(["--from", "1", "--to", "9"], environment: environment)
                == ["--from", "1", "--to", "9", "--kernel", "primes"])
        #expect(try options.arguments([], environment: environment) == ["--n", "1000", "--kernel", "primes"])
        #expect(
            try options.arguments(["--n", "5"], environment: ["SCATTERGATHER_VENTILATOR_FROM": "3"]) == ["--n", "5"])
    }
}
