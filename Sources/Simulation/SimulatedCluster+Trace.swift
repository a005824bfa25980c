import Cluster

/// The trace a simulation keeps.
extension SimulatedCluster: TracedCluster {
    public var traceRecords: [TraceRecord] { trace.records }
}
