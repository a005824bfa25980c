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
        let entry = entry(of: record)
        let change =
            record.kind == .schedulerTransition || record.kind == .workerTransition
            ? "\(entry.from ?? "?")→\(entry.to ?? "?")" : entry.from ?? ""
        return
            "\(entry.time) \(entry.kind) \(entry.task ?? "-") \(entry.worker ?? "-") \(change) \(entry.detail)"
    }
}

/// One trace record by name: what reports write to `trace.jsonl` (a line each, the time as
/// `t`) and what expectations over the trace match.
public struct TraceEntry: Sendable, Hashable, Codable {
    /// Nanoseconds since the start of the run.
    public var time: Nanoseconds
    /// `scheduler`, `worker`, `note`, `delivered`, `execute`, `executed`, `fetch`, …
    public var kind: String
    public var task: String?
    public var worker: String?
    /// What changed, by kind: a transition's states, a note, a message's name, a future's
    /// status, a fault's kind, `ok` or `failed`.
    public var from: String?
    public var to: String?
    public var detail: Int64

    enum CodingKeys: String, CodingKey {
        case time = "t"
        case kind, task, worker, from, to, detail
    }

    public init(
        time: Nanoseconds, kind: String, task: String? = nil, worker: String? = nil,
        from: String? = nil, to: String? = nil, detail: Int64 = 0
    ) {
        self.time = time
        self.kind = kind
        self.task = task
        self.worker = worker
        self.from = from
        self.to = to
        self.detail = detail
    }
}

extension Scheduler {
    /// The record by name: tasks by key, workers by name, codes by what they stand for.
    public func entry(of record: TraceRecord) -> TraceEntry {
        let task = record.task >= 0 ? key(of: TaskID(Int(record.task))) : nil
        let worker = record.worker >= 0 ? name(of: WorkerID(Int(record.worker))) : nil
        var from: String?
        var to: String?
        switch record.kind {
        case .schedulerTransition:
            from = SchedulerTaskState(rawValue: record.from)?.description
            to = SchedulerTaskState(rawValue: record.to)?.description
        case .workerTransition:
            from = WorkerTaskState(rawValue: record.from)?.description
            to = WorkerTaskState(rawValue: record.to)?.description
        case .note:
            from = Note.allCases[Int(record.from)].rawValue
        case .clientSent, .delivered:
            from = MessageKind(rawValue: record.from)?.name
            to = record.kind == .delivered ? (record.to == 0 ? "scheduler" : "worker") : nil
        case .futureStatus:
            from = ClientReport.name(ofCode: record.from)
        case .fault:
            from = FaultCode(rawValue: record.from)?.description
        case .executionEnded, .transferEnded:
            from = record.from == 1 ? "ok" : "failed"
        case .transferStarted:
            to = Int(record.to) < workerCount ? name(of: WorkerID(Int(record.to))) : nil
        case .executionStarted, .workerJoined:
            break
        }
        return TraceEntry(
            time: record.time, kind: record.kind.description, task: task, worker: worker,
            from: from, to: to, detail: record.detail)
    }
}
