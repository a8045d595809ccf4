/// Where the roles meet by default: all on the loopback interface, so a first run needs no configuration.
public enum DefaultEndpoints {
    /// The ventilator binds its task ROUTER socket here; workers connect with a DEALER and ask for work.
    public static let tasks = "tcp://127.0.0.1:5557"
    /// The sink binds its result PULL socket here; workers and the ventilator connect.
    public static let results = "tcp://127.0.0.1:5558"
    /// The sink binds its control PUB socket here; the ventilator connects.
    public static let control = "tcp://127.0.0.1:5559"
}

/// Limits shared by every role, so a job one role accepts is never refused by another.
public enum JobLimits {
    /// The most tasks one job may have: the sink keeps one bit per task (32 MiB at this limit).
    public static let maxTasks: UInt64 = 1 << 28
    /// The most tasks of all the jobs in progress at one sink together (128 MiB of bits), so neither
    /// announcements nor a journal can make a sink allocate without bound.
    public static let maxActiveTasks: UInt64 = 1 << 30
    /// How long a connection to a bound data socket may take to finish its ZMTP (and CURVE) greeting: long
    /// enough for a slow link, short enough that connections which never greet cannot hold descriptors for long.
    public static let handshakeTimeout: Duration = .seconds(5)
    /// The largest frame any receiving socket accepts; a peer sending more is disconnected.
    public static let maxFrameBytes: Int64 = 128 * 1024
    /// A worker that received nothing from a ventilator for this long says so with a reset credit: whatever that
    /// ventilator sent it earlier and is still unacknowledged is lost (a batch sent since may still be on its way).
    public static let idleReset: Duration = .seconds(1)
}
