import Scheduling

/// The figures both a run's expectations and its report read off its trace: the makespan,
/// executions and retries, transfers, won steals, cancelled futures.
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
        /// A steal was confirmed: the task moved to the thief.
        case stealConfirmed
        /// A client future became cancelled.
        case futureCancelled
    }

    /// When the last execution ended.
    public private(set) var makespan: Nanoseconds = 0
    public private(set) var executions = 0
    public private(set) var transfers = 0
    public private(set) var transferredBytes: Int64 = 0
    public private(set) var steals = 0
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
        case .stealConfirmed:
            steals += 1
        case .futureCancelled:
            cancellations += 1
        }
    }
}
