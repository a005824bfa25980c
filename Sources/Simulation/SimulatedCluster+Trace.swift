import Cluster
import Scheduling

/// Recording the trace.
extension SimulatedCluster: TracedCluster {
    public var traceRecords: [TraceRecord] { trace.records }

    func record(
        _ kind: TraceKind, task: TaskID? = nil, worker: WorkerID? = nil, from: UInt8 = 0,
        to: UInt8 = 0, detail: Int64 = 0
    ) {
        let record = TraceRecord(
            time: now, kind: kind, task: task?.index ?? -1, worker: worker?.index ?? -1,
            from: from, to: to, detail: detail)
        trace.append(record)
        observer?(record)
    }
}
