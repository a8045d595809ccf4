import Dispatch
public import Logging
import PipelineCore
public import ZeroMQ

/// The ZAP handler of one context (RFC 27): admits a CURVE client only if its public key is allow-listed,
/// and logs every refusal with the peer's address.
///
/// It answers on its own thread; start it before binding any CURVE server socket of the context.
public final class CurveAuthenticator: Sendable {
    private let stop = StopFlag()
    private let finished = DispatchSemaphore(value: 0)

    public init(context: Context, allowed: AllowList, logger: Logger) throws(PipelineError) {
        let ready = DispatchSemaphore(value: 0)
        let failure = Mailbox<ZMQError>()
        let (stop, finished) = (self.stop, self.finished)
        startDetachedThread {
            defer { finished.signal() }
            let handler: Socket
            do {
                handler = try Socket(context, type: .rep)
                try handler.setOption(.receiveTimeout, .milliseconds(100))
                try handler.bind("inproc://zeromq.zap.01")
            } catch {
                failure.value = error as? ZMQError ?? .invalidArgument
                ready.signal()
                return
            }
            ready.signal()
            var warnings = RateLimitedWarning()
            while !stop.isRequested {
                let received: [[UInt8]]?
                do throws(ZMQError) {
                    received = try handler.receiveMultipart()
                } catch .terminated {
                    return  // the context is shutting down: no more handshakes to answer
                } catch {
                    continue
                }
                guard let request = received else { continue }
                let reply = Self.answer(request, allowed: allowed) { address, key in
                    warnings.warn(
                        logger,
                        "refused a connection from \(address): \(key) is not on the allow list (check that host's --keys, "
                            + "and this role's --allow; after editing it, send SIGHUP)")
                }
                _ = try? handler.send(parts: reply)
            }
        }
        ready.wait()
        if let error = failure.value {
            throw PipelineError.messaging(error, while: "starting the CURVE authenticator")
        }
    }

    /// Stops the handler thread and waits for it; calling it again returns at once.
    public func shutdown() {
        stop.request()
        finished.wait()
        finished.signal()  // leave the semaphore open, so later calls do not wait forever
    }

    /// Waits up to `timeout` for the handler thread to end on its own (as it does when its context shuts down).
    func waitForExit(timeout: Duration) -> Bool {
        guard finished.wait(timeout: .now() + .nanoseconds(Int(timeout.wholeNanoseconds))) == .success else { return false }
        finished.signal()
        return true
    }

    /// The reply to one ZAP request: version, request id, status code, status text, user id, metadata.
    static func answer(_ request: [[UInt8]], allowed: AllowList, refused: (String, String) -> Void) -> [[UInt8]] {
        guard request.count >= 6, request[0] == Array("1.0".utf8) else {
            return [
                Array("1.0".utf8), request.count > 1 ? request[1] : [], Array("500".utf8), Array("bad ZAP request".utf8), [], [],
            ]
        }
        let address = String(decoding: request[3], as: UTF8.self)
        let mechanism = String(decoding: request[5], as: UTF8.self)
        let key = request.count > 6 ? CurveKeyPair.z85(request[6]) : nil
        if mechanism == "CURVE", let key, allowed.contains(key) {
            return [Array("1.0".utf8), request[1], Array("200".utf8), Array("OK".utf8), Array(key.utf8), []]
        }
        refused(
            address.isEmpty ? "an unknown address" : address,
            key.map { "public key \(CurveKeyPair.fingerprint(of: $0)) (\($0))" }
                ?? "a peer without a key (mechanism \(mechanism))")
        return [Array("1.0".utf8), request[1], Array("400".utf8), Array("not allowed".utf8), [], []]
    }
}

/// One value, set by one thread and read by another after a handshake that orders them.
private final class Mailbox<Value: Sendable>: @unchecked Sendable {
    var value: Value?
}
