import Foundation
import TestSupport
import Testing
import Wire
import ZeroMQ

/// Random and truncated frames by the thousand at every socket that listens, while a job runs.
@Suite(.timeLimit(.minutes(4)))
struct FloodTests {
    @Test func aFloodOfGarbageChangesNothingAndCostsNoMemory() async throws {
        let pipeline = try await LivePipeline()
        // π(10^8): seconds of work, so every role is still running when the flood is over and measured.
        let (ventilator, tasks) = try await pipeline.ventilator(["--n", "100000000", "--kernel", "primes-mr"])
        let context = try Context()
        let atWorker = try Socket(context, type: .dealer)
        let rogueTasks = try atWorker.bind("tcp://127.0.0.1:*")
        let worker = try pipeline.worker(tasks: [tasks, rogueTasks])
        let atSink = try Socket(context, type: .push)
        try atSink.connect(pipeline.results)
        let atVentilator = try Socket(context, type: .dealer)
        try atVentilator.connect(tasks)
        try await waitForLog(worker, containing: "first task")

        let valid = try ResultBatch([
            TaskResult(jobID: 1, taskID: 0, workerID: 1, partial: 1, elementCount: 1, computeNanoseconds: 1)
        ]).encoded()
        var generator = SystemRandomNumberGenerator()
        var sent = 0
        var sentToWorker = 0
        for round in 0..<20_000 {
            let frame: [UInt8] =
                round % 2 == 0
                ? (0..<Int.random(in: 0...300, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
                : Array(valid.prefix(Int.random(in: 0..<valid.count, using: &generator)))  // truncated
            for socket in [atSink, atWorker, atVentilator] where try socket.send(frame, flags: .dontWait) {
                sent += 1
                if socket === atWorker { sentToWorker += 1 }
            }
        }
        #expect(sent > 30_000)
        // At least what libzmq queues for a peer that reads nothing: every one of these reaches the worker.
        #expect(sentToWorker >= 1_000)
        let rss = [pipeline.sink, ventilator, worker].map { residentKiB($0.processIdentifier) }

        #expect(
            try await ventilator.waitForExit() == 0,
            "\(ventilator.standardOutput)\(ventilator.standardError)\nworker: \(worker.standardError)\nsink: \(pipeline.sink.standardError)"
        )
        #expect(ventilator.standardOutput.contains("total: 5761455"))
        #expect(ventilator.standardOutput.contains("verified: yes"))
        #expect(try await pipeline.sink.waitForExit() == 0)
        #expect(pipeline.sink.standardError.contains("malformed frames"))
        #expect(worker.isRunning)
        for kib in rss { #expect(kib > 0 && kib < 64 * 1024, "resident set \(kib) KiB during the flood") }
        worker.signal()
        #expect(try await worker.waitForExit(timeout: .seconds(60)) == 0)
        // "stopped after N tasks, E elements, R frames rejected". The worker reads on past each frame it drops, so it has
        // read all of the flood long before the job's seconds of work end, not one frame per batch it computed.
        let rejected = number(after: "elements, ", in: worker.standardError) ?? 0
        print("flood: \(sentToWorker) frames sent to the worker, \(rejected) rejected")
        #expect(rejected >= sentToWorker, "\(worker.standardError)")
        // Open to the end: a socket closed earlier would drop what it still queues for the worker.
        withExtendedLifetime((context, atSink, atWorker, atVentilator)) {}
    }

    /// Current resident set of a process, from /proc.
    func residentKiB(_ pid: Int32) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
        else { return 0 }
        return Int(line.split(separator: " ")[1]) ?? 0
    }
}
