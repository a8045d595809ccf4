import Foundation
import TestSupport
import Testing
import ZeroMQ

/// Key pairs made by `keygen` for a sink, a ventilator and some workers, with the allow lists that admit them.
struct TestKeys {
    let folder: String

    /// Pairs for `sink`, `ventilator` and each of `workers` (plus `others`, not allow-listed); every worker is on both
    /// allow lists.
    init(workers: [String], others: [String] = []) async throws {
        folder =
            FileManager.default.temporaryDirectory.appendingPathComponent("keys-\(UInt64.random(in: 0...UInt64.max))").path
        let keygen = try RunningProcess("keygen", ["--out", folder, "sink", "ventilator"] + workers + others)
        #expect(try await keygen.waitForExit() == 0, "\(keygen.standardError)")
        try allow(workers)
    }

    func path(_ name: String) -> String { (folder as NSString).appendingPathComponent(name) }

    func publicKey(_ name: String) throws -> String {
        try String(contentsOfFile: path("\(name).pub"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func fingerprint(_ name: String) throws -> String { CurveKeyPair.fingerprint(of: try publicKey(name)) }

    /// Writes both allow lists: `workers` at the ventilator, and them and the ventilator at the sink.
    func allow(_ workers: [String]) throws {
        let lines = try workers.map { try publicKey($0) + " \($0)\n" }.joined()
        try (lines + publicKey("ventilator") + "\n").write(toFile: path("sink.allow"), atomically: true, encoding: .utf8)
        try ("# the workers\n" + lines).write(toFile: path("ventilator.allow"), atomically: true, encoding: .utf8)
    }

    var sink: [String] { ["--keys", path("sink.key"), "--allow", path("sink.allow")] }

    var ventilator: [String] {
        ["--keys", path("ventilator.key"), "--allow", path("ventilator.allow"), "--sink-key", path("sink.pub")]
    }

    func worker(_ name: String, sinkKey: String = "sink.pub") -> [String] {
        ["--keys", path("\(name).key"), "--ventilator-key", path("ventilator.pub"), "--sink-key", path(sinkKey)]
    }
}
