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
    /// Names the tasks; set once the run is over.
    var taskKeys: SharedTaskKeys?

    private struct TaskFacts {
        /// Successful executions, and re-runs the scheduler allowed (it let go of the task).
        var successes = 0
        var reruns = 0
        var lastFinish: Nanoseconds?
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
            tally.record(.executionStarted(task: slot(record.task)))
        case .executionEnded:
            tally.record(.executionEnded(time: record.time))
            if record.from == 1 {
                tasks[slot(record.task)].successes += 1
                tasks[slot(record.task)].lastFinish = record.time
            }
        case .transferEnded where record.from == 1:
            tally.record(.transferred(bytes: record.detail))
        case .note:
            switch Self.noteKinds[Int(record.from)] {
            case .steal: tally.record(.stealAnswered(Note.allCases[Int(record.from)]))
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
