import PipelineCore
import ZeroMQ

/// A worker asks for work only while a sink takes its results: tasks computed for nobody would only be re-issued.
extension Worker {
    /// How long no sink may take results before the worker says so.
    static let sinkAbsenceLogged: Duration = .seconds(1)

    /// Whether a sink is connected to the results socket with room for more (the socket sends only then, see
    /// `immediate`); logs when that stops for over a second, and when it comes back.
    func sinkTakesResults(now: ContinuousClock.Instant) -> Bool {
        let ready = (try? results.events().contains(.writable)) ?? false
        if ready {
            if sinkAbsent?.logged == true { logger.info("a sink at \(resultsEndpoint) takes results again; asking for work") }
            sinkAbsent = nil
            return true
        }
        guard let absent = sinkAbsent else {
            sinkAbsent = (now, false)
            return false
        }
        if !absent.logged && now - absent.since >= Self.sinkAbsenceLogged {
            let advice = "not asking for work until one does. Check that the sink runs and that --results names it"
            logger.warning("no sink takes results at \(resultsEndpoint) (none is connected, or it is not keeping up): \(advice)")
            sinkAbsent = (absent.since, true)
        }
        return false
    }
}
