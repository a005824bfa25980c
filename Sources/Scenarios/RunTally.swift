import Scheduling

/// The figures both a run's expectations and its report read off its trace: the makespan,
/// executions and retries, transfers, steals by outcome, cancelled futures.
///
/// Both observers feed it: ``RunFacts`` with the trace records as a run makes them, and the
/// report's `Metrics` with the events of a `trace.jsonl`. With one tally, an expectation and a
/// report cannot disagree about a makespan or a count.
public struct RunTally: Sendable, Equatable {
    /// One thing that happened that the tally counts.
    public enum Fact: Sendable {
        /// An execution of the task (by dense index) started.
        case executionStarted(task: Int)
        /// An execution ended at `time`, however it ended.
        case executionEnded(time: Nanoseconds)
        /// A transfer of `bytes` succeeded.
        case transferred(bytes: Int64)
        /// The scheduler handled a victim's answer to a steal request: one of the steal notes
        /// (confirmed, refused, already aborted, stale, rescheduled).
        case stealAnswered(Note)
        /// A client future became cancelled.
        case futureCancelled
    }

    /// When the last execution ended.
    public private(set) var makespan: Nanoseconds = 0
    public private(set) var executions = 0
    public private(set) var transfers = 0
    public private(set) var transferredBytes: Int64 = 0
    /// Steals confirmed: the task moved to the thief.
    public private(set) var steals = 0
    /// Steals the victim refused: it had started (or finished) the task.
    public private(set) var stealsRefused = 0
    /// Answers to steals that were aborted meanwhile (the task left processing).
    public private(set) var stealsAborted = 0
    /// Answers to an older request than the one in flight for the task.
    public private(set) var stealsStale = 0
    /// Steals whose task was dispatched again (the victim did not know it, or the thief left).
    public private(set) var stealsRescheduled = 0
    public private(set) var cancellations = 0
    /// Tasks that started at least once.
    public private(set) var startedTasks = 0
    /// By task index: whether it started.
    private var started: [Bool] = []

    public init() {}

    /// Executions beyond each task's first.
    public var retries: Int { executions - startedTasks }

    public mutating func record(_ fact: Fact) {
        switch fact {
        case .executionStarted(let task):
            executions += 1
            if task >= started.count {
                started += repeatElement(false, count: task + 1 - started.count)
            }
            if !started[task] {
                started[task] = true
                startedTasks += 1
            }
        case .executionEnded(let time):
            makespan = max(makespan, time)
        case .transferred(let bytes):
            transfers += 1
            transferredBytes = transferredBytes.saturatingAdd(bytes)
        case .stealAnswered(let note):
            switch note {
            case .stealConfirmed: steals += 1
            case .stealRefused: stealsRefused += 1
            case .stealAlreadyAborted: stealsAborted += 1
            case .stealStaleResponse: stealsStale += 1
            case .stealRescheduled: stealsRescheduled += 1
            default: break
            }
        case .futureCancelled:
            cancellations += 1
        }
    }
}
