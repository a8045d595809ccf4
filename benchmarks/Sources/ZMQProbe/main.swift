// Raw libzmq throughput over tcp loopback, with no encoding, decoding or bookkeeping: the messaging ceiling.
//
//   zmq-probe hop [MESSAGES] [SIZE]       single hop PUSH → PULL (two threads, a context each)
//   zmq-probe pipeline [MESSAGES] [SIZE]  PUSH → (PULL → PUSH) → PULL: a plain pipeline of the same shape
//
// Defaults: 2000000 messages of 35 bytes (a task message's size). Prints `messages_per_second <value>`.
import Foundation
import ZeroMQ

let arguments = CommandLine.arguments
let mode = arguments.count > 1 ? arguments[1] : "hop"
let count = arguments.count > 2 ? Int(arguments[2]) ?? 2_000_000 : 2_000_000
let size = arguments.count > 3 ? Int(arguments[3]) ?? 35 : 35

func fail(_ error: any Error) -> Never {
    FileHandle.standardError.write("zmq-probe: \(error)\n".data(using: .utf8)!)
    exit(1)
}

/// Pushes `count` messages to `endpoint` from a thread of its own.
func startSender(to endpoint: String) {
    Thread {
        do {
            let push = try Socket(try Context(), type: .push)
            try push.connect(endpoint)
            let payload = [UInt8](repeating: 0x5A, count: size)
            for _ in 0..<count { try push.send(payload) }
            Thread.sleep(forTimeInterval: 1)
        } catch { fail(error) }
    }.start()
}

/// Forwards every message from one new bound endpoint to another; hands back both (input, output).
func startRelay() throws -> (input: String, output: String) {
    let ready = NSCondition()
    nonisolated(unsafe) var bound: (String, String)?
    Thread {
        do {
            let context = try Context()
            let pull = try Socket(context, type: .pull)
            let input = try pull.bind("tcp://127.0.0.1:*")
            let push = try Socket(context, type: .push)
            let output = try push.bind("tcp://127.0.0.1:*")
            ready.lock()
            bound = (input, output)
            ready.signal()
            ready.unlock()
            var buffer = [UInt8](repeating: 0, count: size)
            for _ in 0..<count {
                _ = try pull.receive { frame, _ in buffer.withUnsafeMutableBytes { $0.copyMemory(from: frame) } }
                try push.send(buffer)
            }
            Thread.sleep(forTimeInterval: 1)
        } catch { fail(error) }
    }.start()
    ready.lock()
    while bound == nil { ready.wait() }
    ready.unlock()
    return bound!
}

do {
    let pull = try Socket(try Context(), type: .pull)
    switch mode {
    case "hop":
        startSender(to: try pull.bind("tcp://127.0.0.1:*"))
    case "pipeline":
        let relay = try startRelay()
        try pull.connect(relay.output)
        startSender(to: relay.input)
    default:
        print("usage: zmq-probe hop|pipeline [MESSAGES] [SIZE]")
        exit(64)
    }
    // The first message starts the clock, so connection set-up is not measured.
    _ = try pull.receive { frame, _ in frame.count }
    let start = ContinuousClock.now
    for _ in 1..<count { _ = try pull.receive { frame, _ in frame.count } }
    let (whole, fraction) = (ContinuousClock.now - start).components
    print("messages_per_second \(Int(Double(count - 1) / (Double(whole) + Double(fraction) / 1e18)))")
} catch {
    fail(error)
}
