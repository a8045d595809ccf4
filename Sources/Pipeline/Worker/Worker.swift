public import Kernels
public import Logging
public import PipelineCore
public import Wire
public import ZeroMQ

/// Where a ``Worker`` takes tasks from and sends results to.
public struct WorkerConfiguration: Sendable {
    /// Ventilators' task endpoints to connect to; tasks are taken from all of them fairly.
    public var tasksEndpoints = [DefaultEndpoints.tasks]
    /// The sink's result endpoint.
    public var resultsEndpoint = DefaultEndpoints.results
    /// This worker's id in results; random unless set.
    public var workerID = UInt64.random(in: 1...UInt64.max)
    /// CURVE keys and the ventilator's and sink's public keys; `nil` runs in plaintext.
    public var security: CurveSecurity?
    /// Task batches this worker asks each ventilator for ahead of the one it computes, at least;
    /// more when a request's round trip is longer than computing a batch (a slow link). Three by default: with two, a
    /// worker computing frames of a fraction of a millisecond waited for its next one (see `CreditPacer`).
    public var prefetch: UInt16 = 3
    /// Kernels that run in the worker's process: the built-in ones, and any a custom worker adds.
    public var kernels: [any Kernel.Type] = KernelRegistry.builtIn
    /// Kernels that are programs, fed tasks over the line protocol.
    public var commandKernels: [CommandKernel] = []
    /// How long a command kernel may go without answering while it holds tasks, before it is killed and restarted.
    public var taskTimeout: Duration = .seconds(60)

    public init() {}
}

/// What a worker did while it ran.
public struct WorkerReport: Hashable, Sendable {
    public internal(set) var tasks: UInt64 = 0
    public internal(set) var elements: UInt128 = 0
    /// Frames that were not valid tasks (dropped).
    public internal(set) var rejected: UInt64 = 0
    /// Tasks a kernel failed on every try (each reported to the sink, which fails the job).
    public internal(set) var failed: UInt64 = 0
}

/// Pulls tasks, computes them with the kernel each names, and pushes the results to the sink.
/// Long-lived: it serves one job after another until stopped.
///
/// Owned by the thread that calls ``run(stop:)``; create it on that thread.
public final class Worker {
    public let workerID: UInt64
    /// The kernels this worker offers, as it tells ventilators.
    public let kernelNames: [KernelName]
    let runners: [KernelName: KernelRunner]
    let logger: Logger
    /// One DEALER per ventilator, so each one's credit goes back to it.
    private let ventilators: [Socket]
    let results: Socket
    let resultsEndpoint: String
    /// Since when no sink has taken results, and whether that was logged (`Worker+Sink`).
    var sinkAbsent: (since: ContinuousClock.Instant, logged: Bool)?
    var warnings = RateLimitedWarning()
    var sendBuffer: [UInt8] = []
    /// A Swift kernel's values for the batch in hand (`Worker+Intake`).
    var partials: [Int128] = []
    var failures: [(task: RangeTask, reason: String)] = []
    /// A command kernel's results of the batch in hand.
    var commandResults: [TaskResult] = []
    private var creditBuffer: [UInt8] = []
    var report = WorkerReport()
    var currentJob: UInt64?
    /// Per ventilator: how many batches to keep requested.
    private var pacers: [CreditPacer]
    /// Each socket's connections (the ventilators' in order, then the sink's): with CURVE a refused key or a wrong
    /// server key is logged with its cause, and a connection libzmq gave up on is made again (`Worker+Connections`).
    var handshakes: [ConnectionWatch] = []
    /// Each watched socket and its endpoint, in the order of ``handshakes``.
    var watched: [(socket: Socket, endpoint: String)] = []
    /// When to connect a socket again that libzmq gave up on: by index in ``handshakes``.
    var reconnectAt: [Int: ContinuousClock.Instant] = [:]

    public init(context: Context, configuration: WorkerConfiguration = WorkerConfiguration(), logger: Logger)
        throws(PipelineError)
    {
        workerID = configuration.workerID
        resultsEndpoint = configuration.resultsEndpoint
        self.logger = logger
        (kernelNames, runners) = try Self.runners(for: configuration, logger: logger)
        pacers = Array(repeating: CreditPacer(minimum: Int(configuration.prefetch)), count: configuration.tasksEndpoints.count)
        var ventilators: [Socket] = []
        do {
            for _ in configuration.tasksEndpoints {
                let socket = try Socket(context, type: .dealer)
                try socket.secureAsClient(configuration.security, serverKey: configuration.security?.ventilatorPublicKey)
                try socket.setOption(.maxMessageSize, JobLimits.maxFrameBytes)
                ventilators.append(socket)
            }
            results = try Socket(context, type: .push)
            try results.secureAsClient(configuration.security, serverKey: configuration.security?.sinkPublicKey)
            try results.setOption(.sendTimeout, .milliseconds(100))
            // Results queue only for a connected sink: the socket can send exactly while one is connected and taking
            // them, and the worker asks for work only then (a result queued for a sink that never comes is lost
            // anyway; the ventilator re-issues it).
            try results.setOption(.immediate, true)
            // No ZMTP heartbeats on the task sockets: with libzmq 4.3.4 a peer flooding a DEALER whose queue is
            // full can trip "Assertion failed: _input_stopped" (libzmq issue #3937) in the I/O thread; a vanished
            // ventilator is noticed by TCP keepalive instead, and the ventilator re-issues what a vanished worker held.
            for socket in ventilators {
                try socket.setOption(.tcpKeepalive, true)
                // A job's ventilator is a new process: connected within tens of milliseconds of its start, not the
                // 100-200 ms of libzmq's default interval and jitter. Doubling to 150 ms keeps an idle worker's attempts
                // as sparse as before (300 workers connecting during a job's first 0.3 s ran it at 0.71-0.78 of 10
                // workers' tasks/s; connected sooner, with turns in connection order, at 0.71-0.92).
                try socket.setOption(.reconnectInterval, .milliseconds(10))
                try socket.setOption(.reconnectIntervalMaximum, .milliseconds(150))
            }
            try results.setOption(.heartbeatInterval, .seconds(1))
            try results.setOption(.heartbeatTimeout, .seconds(5))
        } catch {
            throw PipelineError.messaging(error, while: "opening the worker's sockets")
        }
        for (socket, endpoint) in zip(ventilators, configuration.tasksEndpoints) {
            do {
                try socket.connect(endpoint)
            } catch {
                throw PipelineError.connecting(endpoint, role: "worker", flag: "--tasks", error)
            }
        }
        self.ventilators = ventilators
        // Every connecting socket is watched: libzmq gives up on a connection after a protocol error (a frame over
        // the size limit) or a refused handshake, and the worker then connects again instead of going deaf.
        let security = configuration.security
        do {
            for socket in ventilators {
                handshakes.append(
                    try ConnectionWatch(
                        socket, role: "worker", peer: "the ventilator", keys: security?.keys, connects: true,
                        serverKey: security?.ventilatorPublicKey.map { ("--ventilator-key", $0) }))
            }
            handshakes.append(
                try ConnectionWatch(
                    results, role: "worker", peer: "the sink", keys: security?.keys, connects: true,
                    serverKey: security?.sinkPublicKey.map { ("--sink-key", $0) }))
            watched = Array(zip(ventilators, configuration.tasksEndpoints)) + [(results, configuration.resultsEndpoint)]
        } catch {
            throw PipelineError.messaging(error, while: "watching the connections")
        }
        do {
            try results.connect(configuration.resultsEndpoint)
        } catch {
            throw PipelineError.connecting(configuration.resultsEndpoint, role: "worker", flag: "--results", error)
        }
    }

    /// Serves tasks until `stop` is requested, finishing and sending the batch in hand first.
    /// How long the loop waits for a batch before it looks at its clocks again (idle reset, reconnections, stop).
    static let idlePoll: Duration = .milliseconds(250)

    @discardableResult
    public func run(stop: StopFlag) throws(PipelineError) -> WorkerReport {
        let poller = Poller()
        for socket in ventilators { poller.add(socket, interest: .readable) }
        // Watched for room only while no sink takes results: a sink that connects then wakes the loop at once.
        let resultsIndex = poller.add(results, interest: [])
        // When nothing arrives for a while, say again that this worker is idle: a ventilator that started
        // (or restarted) since our last request learns of us, and one that lost a batch to us learns that too.
        var lastHeard = [ContinuousClock.Instant](repeating: .now - .seconds(3600), count: ventilators.count)
        while !stop.isRequested {
            // A ventilator connected again may be a new one, which knows nothing of this worker: its reset is due now,
            // not after a second of silence (the next job would wait for each idle worker's reset to reach it). Seen at
            // the next wake, within ``idlePoll``: polling the monitor too woke an idle worker at each of libzmq's
            // attempts to connect while no ventilator listens (300 such workers: 0.28 s of CPU a second, not 0.18).
            for index in checkHandshakes() where index < ventilators.count { lastHeard[index] = .now - JobLimits.idleReset }
            let now = ContinuousClock.now
            let sinkReady = sinkTakesResults(now: now)
            poller.setInterest(sinkReady ? [] : .writable, at: resultsIndex)
            if sinkReady {
                for index in ventilators.indices where now - lastHeard[index] >= JobLimits.idleReset {
                    try ask(index, for: pacers[index].target, reset: true)
                    lastHeard[index] = now
                }
            } else {
                // Asked again, with a reset, as soon as a sink takes results.
                for index in ventilators.indices { lastHeard[index] = now - JobLimits.idleReset }
            }
            let idleSince = ContinuousClock.now
            do {
                // Idle, a worker wakes 4 times a second: 300 idle workers took 92 ms of CPU a second on a 2-core
                // machine, against 210 ms when they woke 10 times a second.
                try poller.poll(timeout: Self.idlePoll)
            } catch {
                if error == .terminated { break }
                throw PipelineError.messaging(error, while: "waiting for tasks")
            }
            let arrived = ContinuousClock.now
            // A batch that was already waiting returns the poll at once; only one we waited for times the link.
            let waited = arrived - idleSince > .microseconds(50)
            for index in ventilators.indices where poller.events(at: index).contains(.readable) {
                // A dropped frame costs no compute: read on past it, so a flood of garbage is not read at the pace of
                // one frame per batch computed, filling the queue in front of real tasks.
                for read in 0..<Self.dropsPerPoll {
                    let served = try serve(index, arrived: arrived, waited: waited && read == 0, stop: stop)
                    if served == .terminated { return report }
                    if served != .nothing { lastHeard[index] = .now }
                    if served != .dropped { break }
                }
            }
        }
        // Leaving: batches prefetched but not started go back to the ventilator at once, not after a deadline.
        for index in ventilators.indices { try ask(index, for: 0, reset: true) }
        for runner in runners.values { runner.shutdown() }
        return report
    }

    /// Most dropped frames read from one socket per poll before the loop looks at its clocks and other sockets again.
    static let dropsPerPoll = 256

    private enum Served { case nothing, dropped, computed, terminated }

    /// Reads one frame from ventilator `index`, computes and sends it if it is a batch, and asks for more.
    private func serve(_ index: Int, arrived: ContinuousClock.Instant, waited: Bool, stop: StopFlag) throws(PipelineError)
        -> Served
    {
        let socket = ventilators[index]
        let start = ContinuousClock.now
        let taken: Taken
        do {
            guard
                let received = try socket.receive(
                    flags: .dontWait, { frame, hasMore in take(frame, hasMore: hasMore, from: socket) })
            else { return .nothing }
            taken = received
        } catch {
            if error == .terminated { return .terminated }
            throw PipelineError.messaging(error, while: "receiving tasks")
        }
        pacers[index].received(at: arrived, waited: waited)
        switch taken {
        case .dropped: break
        default:
            try finish(taken, stop: stop)
            pacers[index].computed(.now - start)
        }
        // Whatever arrived used one of our credits: ask for one more, or several when the link is slow.
        let shortfall = pacers[index].shortfall
        if shortfall > 0 && sinkTakesResults(now: .now) { try ask(index, for: shortfall, reset: false) }
        if case .dropped = taken { return .dropped }
        return .computed
    }

    private func ask(_ index: Int, for batches: Int, reset: Bool) throws(PipelineError) {
        // Valid by construction: a reset, or at least one batch; the kernels were checked at init.
        guard
            let credit = try? Credit(batches: UInt16(clamping: batches), isReset: reset, workerID: workerID, kernels: kernelNames)
        else { preconditionFailure("a credit of \(batches) batches (reset: \(reset)) did not encode") }
        credit.encode(into: &creditBuffer)
        pacers[index].asked(batches, reset: reset, at: .now)
        do {
            // A DEALER queues while disconnected; if even that queue is full, the next idle reset repeats it.
            _ = try ventilators[index].send(creditBuffer, flags: .dontWait)
        } catch {
            if error == .terminated { return }
            throw PipelineError.messaging(error, while: "asking for tasks")
        }
    }

    /// Sends a frame to the sink, waiting (in 100 ms steps, so a stop is noticed) while its queue is full.
    func send(_ frame: [UInt8], what: String, stop: StopFlag) throws(PipelineError) {
        var warned = false
        while true {
            do {
                if try results.send(frame) { return }
            } catch {
                if error == .terminated { return }
                throw PipelineError.messaging(error, while: "sending a result")
            }
            if stop.isRequested {
                logger.warning("stopping with \(what) unsent: the sink is not taking results")
                return
            }
            if !warned {
                logger.warning("the sink is not taking results; waiting")
                warned = true
            }
        }
    }
}
