import Pipeline
import PipelineCore
import TestSupport
import Testing
import Wire
import ZeroMQ

/// A ventilator that learns it missed acknowledgements (PUB/SUB drops them, as when a restarted sink publishes before
/// the ventilator's subscription reaches it) asks the sink for all of them again, instead of waiting for the tasks'
/// deadlines and charging their workers with losing them. The sink here is two real sockets driven by the test.
@Suite(.timeLimit(.minutes(1)))
struct MissedAcknowledgementTests {
    @Test func anAcknowledgementCountingTasksNeverAcknowledgedMakesTheVentilatorAnnounceTheJobAgain() throws {
        let context = try Context()
        let results = try Socket(context, type: .pull)
        try results.setOption(.receiveTimeout, .seconds(10))
        let resultsEndpoint = try results.bind("tcp://127.0.0.1:*")
        let control = try Socket(context, type: .pub)
        let controlEndpoint = try control.bind("tcp://127.0.0.1:*")
        let job = try job(KernelName("sum"), last: 100, chunk: 10)
        let stop = StopFlag()
        let ventilator = BlockingThread<JobReport>.run {
            var configuration = VentilatorConfiguration(job: job)
            configuration.tasksEndpoint = "tcp://127.0.0.1:*"
            configuration.resultsEndpoint = resultsEndpoint
            configuration.controlEndpoint = controlEndpoint
            return try Ventilator(context: context, configuration: configuration, logger: quiet).run(stop: stop)
        }
        defer { stop.request() }

        /// The next frame the ventilator sends the sink, decoded; `nil` after 10 s of nothing.
        func next() throws -> AnyMessage? {
            guard let frame = try results.receive() else { return nil }
            return try frame.bytes.withUnsafeBytes { try AnyMessage(decoding: $0) }
        }
        // The handshake: each announcement gets the sink's answer, "nothing done yet", until the ventilator, satisfied,
        // starts sending its dispatch status.
        var announcements = 0
        handshake: while let message = try next() {
            switch message {
            case .jobAnnouncement(let announcement):
                #expect(announcement.jobID == job.jobID)
                announcements += 1
                try control.send(try Acknowledgement(jobID: job.jobID, completed: 0).encoded())
            case .dispatchStatus: break handshake
            default: continue
            }
        }
        #expect(announcements >= 1)

        // Task 0 acknowledged, with a count of 2: the acknowledgement of another task was lost on the way.
        try control.send(
            try Acknowledgement(jobID: job.jobID, completed: 2, runs: [.init(first: 0, length: 1)]).encoded())
        var announcedAgain = false
        let deadline = ContinuousClock.now + .seconds(10)
        while !announcedAgain, ContinuousClock.now < deadline, let message = try next() {
            if case .jobAnnouncement(let announcement) = message, announcement.jobID == job.jobID { announcedAgain = true }
        }
        #expect(announcedAgain, "the ventilator did not announce the job again within 10 s of a missed acknowledgement")

        stop.request()
        #expect(throws: PipelineError.self) { try ventilator.value() }
    }
}
