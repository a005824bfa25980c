import Scheduling

/// A cluster that keeps a trace: its scheduler names the tasks and workers the records
/// number.
public protocol TracedCluster: AnyObject {
    var scheduler: Scheduler { get }
    /// The records kept so far, in order.
    var traceRecords: [TraceRecord] { get }
}

extension TracedCluster {
    /// The whole trace as text, one record a line.
    public func traceLines() -> [String] { traceRecords.map(scheduler.describe) }
}

extension Scheduler {
    /// One trace record as a line of text: time, kind, task, worker, what changed.
    public func describe(_ record: TraceRecord) -> String {
        let task = record.task >= 0 ? key(of: TaskID(Int(record.task))) : "-"
        let worker =
            record.worker >= 0 ? name(of: WorkerID(Int(record.worker))) : "-"
        let change: String
        switch record.kind {
        case .schedulerTransition:
            change =
                "\(SchedulerTaskState(rawValue: record.from)!)→\(SchedulerTaskState(rawValue: record.to)!)"
        case .workerTransition:
            change =
                "\(WorkerTaskState(rawValue: record.from)!)→\(WorkerTaskState(rawValue: record.to)!)"
        case .note:
            change = Note.allCases[Int(record.from)].rawValue
        case .clientSent, .delivered:
            change = MessageKind(rawValue: record.from)?.name ?? "?"
        case .futureStatus:
            change = ClientReport.name(ofCode: record.from)
        case .fault:
            change = FaultCode(rawValue: record.from)?.description ?? "?"
        case .executionEnded, .transferEnded:
            change = record.from == 1 ? "ok" : "failed"
        case .executionStarted, .transferStarted, .workerJoined:
            change = ""
        }
        return "\(record.time) \(record.kind) \(task) \(worker) \(change) \(record.detail)"
    }

}
