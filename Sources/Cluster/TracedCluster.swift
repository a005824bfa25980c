import Scheduling

/// A cluster that keeps a trace: its scheduler names the tasks and workers the records
/// number.
public protocol TracedCluster: AnyObject {
    var scheduler: Scheduler { get }
    /// The records kept so far, in order.
    var traceRecords: [TraceRecord] { get }
}

extension TracedCluster {
    /// The whole trace as text, one entry a line.
    public func traceLines() -> [String] { scheduler.entries(of: traceRecords).map(\.line) }
}

/// One trace record by name: what reports write to `trace.jsonl` (a line each, the time as
/// `t`) and what expectations over the trace match.
public struct TraceEntry: Sendable, Hashable, Codable {
    /// Nanoseconds since the start of the run.
    public var time: Nanoseconds
    /// `scheduler`, `worker`, `note`, `delivered`, `execute`, `executed`, `fetch`, …
    public var kind: String
    /// The task it is about; for a message, the first it names.
    public var task: String?
    /// Every task a message names, when it names more than one.
    public var tasks: [String]?
    /// The worker; for a message, the one it came from or went to.
    public var worker: String?
    /// A message's name (`taskFinished`), for `delivered` and `client-sent` entries.
    public var message: String?
    /// What changed, by kind: a transition's states, a note, a future's status, a fault's
    /// kind, `ok` or `failed`; a message's sender and receiver (`scheduler`, `client`, a
    /// worker's name).
    public var from: String?
    public var to: String?
    /// A steal response's answer: the task's state on the victim, or `unknown`.
    public var state: String?
    public var detail: Int64

    enum CodingKeys: String, CodingKey {
        case time = "t"
        case kind, task, tasks, worker, message, from, to, state, detail
    }

    public init(
        time: Nanoseconds, kind: String, task: String? = nil, tasks: [String]? = nil,
        worker: String? = nil, message: String? = nil, from: String? = nil, to: String? = nil,
        state: String? = nil, detail: Int64 = 0
    ) {
        self.time = time
        self.kind = kind
        self.task = task
        self.tasks = tasks
        self.worker = worker
        self.message = message
        self.from = from
        self.to = to
        self.state = state
        self.detail = detail
    }

    /// The entry as a line of text: time, kind, task, worker, what changed, detail.
    public var line: String {
        let change =
            switch kind {
            case "scheduler", "worker": "\(from ?? "?")→\(to ?? "?")"
            case "delivered", "client-sent":
                "\(message ?? "?") \(from ?? "?")→\(to ?? "?")"
                    + (state.map { " \($0)" } ?? "")
                    + (tasks.map { " [\($0.joined(separator: ","))]" } ?? "")
            default: from ?? ""
            }
        return "\(time) \(kind) \(task ?? "-") \(worker ?? "-") \(change) \(detail)"
    }
}

extension Scheduler {
    /// The records by name, each ``TraceKind/namedTask`` folded into the message before it.
    public func entries(of records: [TraceRecord]) -> [TraceEntry] {
        var entries: [TraceEntry] = []
        entries.reserveCapacity(records.count)
        for record in records {
            guard record.kind == .namedTask, !entries.isEmpty else {
                entries.append(entry(of: record))
                continue
            }
            let task = key(of: TaskID(Int(record.task)))
            let last = entries.count - 1
            entries[last].tasks = (entries[last].tasks ?? [entries[last].task!]) + [task]
        }
        return entries
    }

    /// One record by name: tasks by key, workers by name, codes by what they stand for.
    func entry(of record: TraceRecord) -> TraceEntry {
        var entry = TraceEntry(
            time: record.time, kind: record.kind.description,
            task: record.task >= 0 ? key(of: TaskID(Int(record.task))) : nil,
            worker: record.worker >= 0 ? name(of: WorkerID(Int(record.worker))) : nil,
            detail: record.detail)
        switch record.kind {
        case .schedulerTransition:
            entry.from = SchedulerTaskState(rawValue: record.from)?.description
            entry.to = SchedulerTaskState(rawValue: record.to)?.description
        case .workerTransition:
            entry.from = WorkerTaskState(rawValue: record.from)?.description
            entry.to = WorkerTaskState(rawValue: record.to)?.description
        case .note:
            entry.from = Note.allCases[Int(record.from)].rawValue
        case .clientSent:
            entry.message = MessageKind(rawValue: record.from)?.name
            entry.from = "client"
            entry.to = "scheduler"
        case .delivered:
            entry.message = MessageKind(rawValue: record.from)?.name
            name(delivery: record, into: &entry)
        case .futureStatus:
            entry.from = ClientReport.name(ofCode: record.from)
        case .fault:
            entry.from = FaultCode(rawValue: record.from)?.description
        case .executionEnded, .transferEnded:
            entry.from = record.from == 1 ? "ok" : "failed"
        case .transferStarted:
            entry.to = Int(record.to) < workerCount ? name(of: WorkerID(Int(record.to))) : nil
        case .executionStarted, .workerJoined, .namedTask, .seceded, .spilled, .unspilled:
            break
        }
        return entry
    }

    /// A delivered message's sender, receiver and steal answer.
    private func name(delivery record: TraceRecord, into entry: inout TraceEntry) {
        let worker = entry.worker ?? "?"
        switch Delivery(rawValue: record.to) {
        case .workerToScheduler: (entry.from, entry.to) = (worker, "scheduler")
        case .schedulerToWorker: (entry.from, entry.to) = ("scheduler", worker)
        case .clientToScheduler:
            entry.worker = nil
            entry.from = record.worker == 0 ? "client" : "client-\(record.worker + 1)"
            entry.to = "scheduler"
        case .schedulerToItself, nil: (entry.from, entry.to) = ("scheduler", "scheduler")
        }
        if record.state > 0 { entry.state = WorkerTaskReport.answerNames[Int(record.state) - 1] }
    }
}
