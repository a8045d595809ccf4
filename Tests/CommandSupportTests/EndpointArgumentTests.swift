import Testing

@testable import CommandSupport

/// Endpoints are parsed, not pattern-matched: one address, or a usage error naming the endpoint.
@Suite struct EndpointArgumentTests {
    @Test(arguments: [
        ("tcp://127.0.0.1:5557", true),
        ("tcp://127.0.0.1:*", true),
        ("tcp://localhost:5557", true),
        ("tcp://[::1]:5557", true),
        ("ipc:///tmp/sg.sock", true),
        ("tcp://0.0.0.0:5557", false),
        ("tcp://*:5557", false),
        ("tcp://10.0.0.2:5558", false),
        ("tcp://eth0:5558", false),
        ("tcp://[fe80::1]:5558", false),
    ])
    func aSingleAddressIsAcceptedAndOnlyLoopbackIsLocal(endpoint: String, local: Bool) {
        #expect(EndpointArgument.problem(with: endpoint, for: .bind) == nil)
        #expect(EndpointArgument.isLocal(endpoint) == local)
        let refusal = EndpointArgument.plaintextProblem(flag: "--results", endpoint: endpoint, secured: false, insecure: false)
        #expect((refusal == nil) == local, "\(refusal ?? "accepted")")
    }

    /// libzmq binds whatever follows its source syntax; a guard that only matched the text was bypassed by these.
    @Test(arguments: [
        ("tcp://127.0.0.1:0;0.0.0.0:28101", "is not one host"),
        ("tcp://127.0.0.1;0.0.0.0:28101", "is not one host"),
        ("tcp://127.0.0.1:5557 ", "is not a number"),
        ("tcp://127.0.0.1:+5557", "is not a number"),
        ("tcp://127.0.0.1:0x15", "is not a number"),
        ("tcp://127.0.0.1.1:5557", "is not one host"),
        ("tcp://256.0.0.1:5557", "is not one host"),
        ("tcp://127.0.0.1/x:5557", "is not one host"),
        ("tcp://[::1:5557", "is not one host"),
        ("tcp://:5557", "has no host"),
        ("tcp://127.0.0.1", "has no port"),
        ("ipc://", "has no path"),
        ("ipc:///tmp/a;b", "is not a single ipc://"),
        ("inproc://x", "only works inside one process"),
        ("udp://127.0.0.1:5557", "is not a ZeroMQ endpoint"),
        ("tcp://\u{1B}[31m:5557", "\\u{1B}"),
    ])
    func everyOtherFormIsAUsageErrorNamingTheEndpoint(endpoint: String, words: String) throws {
        let problem = try #require(EndpointArgument.problem(with: endpoint, for: .bind))
        #expect(problem.contains(words), "\(problem)")
        #expect(!EndpointArgument.isLocal(endpoint) || endpoint.hasPrefix("inproc"))
        #expect(!problem.contains("\u{1B}"), "the terminal escape must be quoted, not printed")
    }

    @Test func connectingNeedsARealHostAndPort() {
        #expect(EndpointArgument.problem(with: "tcp://*:5557", for: .connect)?.contains("cannot connect to '*'") == true)
        #expect(EndpointArgument.problem(with: "tcp://127.0.0.1:*", for: .connect)?.contains("can only be bound") == true)
        #expect(EndpointArgument.problem(with: "tcp://sink.example:5558", for: .connect) == nil)
    }
}
