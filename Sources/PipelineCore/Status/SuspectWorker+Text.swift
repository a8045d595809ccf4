public import Wire

extension SuspectWorker {
    /// For people: which worker, where from, what the ventilator saw, and what to check. `sink` is the sink's results
    /// endpoint, when known.
    public func explanation(sink: String? = nil) -> String {
        let at = address.isEmpty ? "" : " at \(address)"
        let seen =
            switch cause {
            case .resultsElsewhere:
                "none of the last \(tasksLost) task(s) it was sent reached the sink, though it said it had finished "
                    + "them: its results go elsewhere. Check its --results endpoint (it must name this job's sink"
                    + (sink.map { ", \($0)" } ?? "") + ") and the firewall between it and the sink"
            case .heldWithoutAnswer:
                "it held \(tasksLost) task(s) past their deadline and none reached the sink: its kernel may hang, its "
                    + "results may go elsewhere (check its --results endpoint and the firewall), or it is not a "
                    + "ScatterGather worker"
            }
        return "worker \(hex(workerID))\(at): \(seen); not sending it tasks for \(suspendedMilliseconds) ms, then one batch"
            + " to try it again"
    }
}
