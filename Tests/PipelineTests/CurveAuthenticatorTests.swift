import Testing
import ZeroMQ

@testable import Pipeline

@Suite(.timeLimit(.minutes(1)))
struct CurveAuthenticatorTests {
    @Test func shuttingDownTwiceReturns() async throws {
        let context = try Context()
        let authenticator = try CurveAuthenticator(context: context, allowed: AllowList([]), logger: quiet)
        authenticator.shutdown()
        #expect(authenticator.waitForExit(timeout: .seconds(5)))
        authenticator.shutdown()  // hung before: the second wait never ended
    }

    /// When the context shuts down, the handler's socket fails with ETERM at once: the thread must end,
    /// not spin on that error until someone calls shutdown.
    @Test func theHandlerEndsWhenItsContextShutsDown() async throws {
        let context = try Context()
        let authenticator = try CurveAuthenticator(context: context, allowed: AllowList([]), logger: quiet)
        context.shutdown()
        #expect(authenticator.waitForExit(timeout: .seconds(5)))
    }
}
