import Cluster
import Scheduling

/// Facts about a run, gathered from its trace records as they are recorded (so a sweep need
/// not keep them), or from a finished trace.
final class RunFacts {
    var waits: [String: WaitOutcome] = [:]
    /// The figures a report shows as well (the makespan, counts), counted once for both.
    private(set) var tally = RunTally()
    var makespan: Nanoseconds { tally.makespan }
    var staleMessages = 0
    /// What the run did with each task, by task index (ids are dense).
    private var tasks: [TaskFacts] = []
    /// The run's trace by name, kept only when an expectation matches trace records.
    var trace: [TraceEntry] = []
    /// Names the tasks; set once the run is over.
    var taskKeys: SharedTaskKeys?

    private struct TaskFacts {
        /// Successful executions, and re-runs the scheduler allowed (it let go of the task).
        var successes = 0
        var reruns = 0
        var lastFinish: Nanoseconds?
        /// What the per-task counts read: executions started, transfers of its result that
        /// succeeded, steals of it confirmed.
        var executions = 0
        var transfers = 0
        var steals = 0
    }

    private enum NoteKind { case steal, stale, other }

    /// What each note counts as, by its code.
    private static let noteKinds: [NoteKind] = Note.allCases.map { note in
        switch note {
        case .stealConfirmed, .stealRefused, .stealAlreadyAborted, .stealStaleResponse,
            .stealRescheduled:
            .steal
        case .fromRemovedWorker, .notProcessing, .staleRun, .finishedWhileWaiting: .stale
        default: .other
        }
    }

    init() {}

    convenience init(records: [TraceRecord], taskKeys: SharedTaskKeys) {
        self.init()
        for record in records { observe(record) }
        self.taskKeys = taskKeys
    }

    func observe(_ record: TraceRecord) {
        switch record.kind {
        case .executionStarted:
            let task = slot(record.task)
            tally.record(.executionStarted(task: task))
            tasks[task].executions += 1
        case .executionEnded:
            tally.record(.executionEnded(time: record.time))
            if record.from == 1 {
                tasks[slot(record.task)].successes += 1
                tasks[slot(record.task)].lastFinish = record.time
            }
        case .transferEnded where record.from == 1:
            tally.record(.transferred(bytes: record.detail))
            tasks[slot(record.task)].transfers += 1
        case .note:
            switch Self.noteKinds[Int(record.from)] {
            case .steal:
                let note = Note.allCases[Int(record.from)]
                tally.record(.stealAnswered(note))
                if note == .stealConfirmed { tasks[slot(record.task)].steals += 1 }
            case .stale: staleMessages += 1
            case .other: break
            }
        case .futureStatus where record.from == 3:
            tally.record(.futureCancelled)
        case .schedulerTransition
        where record.to == SchedulerTaskState.released.rawValue
            && (record.from == SchedulerTaskState.processing.rawValue
                || record.from == SchedulerTaskState.memory.rawValue):
            tasks[slot(record.task)].reruns += 1
        default:
            break
        }
    }

    /// The task's position in `tasks`, which grows to hold it.
    private func slot(_ task: Int32) -> Int {
        let index = Int(task)
        if index >= tasks.count {
            tasks += repeatElement(TaskFacts(), count: index + 1 - tasks.count)
        }
        return index
    }

    func count(_ counter: Expectation.Counter) -> Int {
        switch counter {
        case .retries: tally.retries
        case .steals: tally.steals
        case .transfers: tally.transfers
        case .executions: tally.executions
        case .cancellations: tally.cancellations
        case .staleMessages: staleMessages
        case .stealRaces: tally.stealsRefused + tally.stealsAborted + tally.stealsStale
        case .staleStealResponses: tally.stealsAborted + tally.stealsStale
        case .stealsRefused: tally.stealsRefused
        case .stealsAborted: tally.stealsAborted
        case .stealsStale: tally.stealsStale
        case .stealsRescheduled: tally.stealsRescheduled
        }
    }

    /// The count of what concerns one task, for the counters that can be counted per task
    /// (``Expectation/Counter/perTask``); 0 for a task that never ran.
    func count(_ counter: Expectation.Counter, of key: String) -> Int {
        guard let id = taskKeys!.id(of: key), id.int < tasks.count else { return 0 }
        let facts = tasks[id.int]
        switch counter {
        case .executions: return facts.executions
        case .retries: return max(0, facts.executions - 1)
        case .transfers: return facts.transfers
        case .steals: return facts.steals
        default: return 0
        }
    }

    /// Tasks that completed successfully more often than they were needed: once, plus once
    /// for each time the scheduler let go of them (lost data, a dead worker, a retry).
    var duplicatedTasks: [String] {
        tasks.indices.compactMap { task in
            tasks[task].successes > 1 + tasks[task].reruns
                ? taskKeys!.key(of: TaskID(task)) : nil
        }
    }

    func lastFinish(_ key: String) -> Nanoseconds? {
        taskKeys!.id(of: key).flatMap {
            $0.int < tasks.count ? tasks[$0.int].lastFinish : nil
        }
    }
}
