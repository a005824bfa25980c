import Cluster
import Scheduling

/// The simulation as the cluster core's driver: events on the virtual clock, bodies run at
/// once for their values, copies made at once.
extension SimulatedCluster: ClusterDriver {
    public var hasOtherWork: Bool { !queue.isEmpty }

    public func schedule(_ event: consuming ClusterEvent, at time: Nanoseconds, keepsBusy: Bool) {
        let slot = schedule(at: time, event)
        if !keepsBusy { idleTick = slot }
    }

    /// Runs the body now, for its value, and ends the execution after its modelled duration.
    public func run(_ execution: Execution) {
        let outcome = ExecutionOutcome(
            core.perform(execution), of: execution, duration: execution.duration)
        schedule(
            at: now.saturatingAdd(execution.duration),
            .executionEnded(execution.ref, outcome: consume outcome)
        )
    }

    /// A simulated worker's threads are counted by its state machine alone.
    public func executionSeceded(_ execution: ExecutionRef) {}

    /// A simulated copy takes no time of its own: the transfer's time was its time.
    public func copy(_ data: StoredResult, for transfer: Transfer) {
        core.dataArrived(transfer, data)
    }

    /// Always: every record goes into the trace's hash, kept or not.
    public var recordsTrace: Bool { true }

    public func record(_ record: TraceRecord) {
        trace.append(record)
        observer?(record)
    }

    public func workerStarted(_ worker: ClusterWorker) {}

    public func workerDied(_ worker: ClusterWorker) {}

    public func fail(_ violations: [String]) { failIfViolated(violations) }
}
