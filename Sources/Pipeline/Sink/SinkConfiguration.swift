import PipelineCore

/// How a ``Sink`` listens and when it gives up.
public struct SinkConfiguration: Sendable {
    /// Bound PULL socket for results (from workers) and job announcements (from ventilators).
    public var resultsEndpoint = DefaultEndpoints.results
    /// Bound PUB socket for acknowledgements and job reports.
    public var controlEndpoint = DefaultEndpoints.control
    /// Exit after this many jobs have ended; 0 serves forever.
    public var jobs = 1
    /// CURVE keys and the allow list of workers and ventilators; `nil` runs in plaintext.
    public var security: CurveSecurity?
    /// Where to journal accepted work so a restarted sink resumes its jobs; `nil` keeps no journal.
    public var journalPath: String?
    /// Whether every journal record is synced to disk before its results are acknowledged, so they survive
    /// a crash of the machine, not only of the process.
    public var journalSync = false
    /// A job with no new result for this long fails.
    public var timeout: Duration = .seconds(30)
    /// The longest a newly aggregated task waits before it is acknowledged.
    public var acknowledgementInterval: Duration = .milliseconds(2)
    /// How often ``Sink/run(stop:onStatus:onReport:)`` reports its status (about: it checks when idle or every 256 messages).
    public var statusInterval: Duration = .milliseconds(100)

    public init() {}
}
