import Testing

@testable import CommandSupport

@Suite struct ResumeCommandTests {
    @Test func theJobIdAndTheBoundEndpointReplaceWhateverWasGiven() {
        let line = ResumeCommand.line(
            arguments: ["/usr/local/bin/ventilator", "--n", "1e9", "--tasks", "tcp://127.0.0.1:*", "--job-id=5", "--dry-run"],
            jobID: 77, tasksEndpoint: "tcp://127.0.0.1:40123")
        #expect(line == "/usr/local/bin/ventilator --n 1e9 --tasks tcp://127.0.0.1:40123 --job-id 77")
    }

    @Test func argumentsTheShellWouldSplitOrExpandAreQuoted() {
        let line = ResumeCommand.line(
            arguments: ["ventilator", "--keys", "my keys/v.key", "--allow", "it's.allow", "--tasks=tcp://*:5557"],
            jobID: 1, tasksEndpoint: "tcp://0.0.0.0:5557")
        #expect(line == #"ventilator --keys 'my keys/v.key' --allow 'it'\''s.allow' --tasks tcp://0.0.0.0:5557 --job-id 1"#)
    }
}
