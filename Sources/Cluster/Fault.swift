import Scheduling

/// An endpoint of a message: the client, the scheduler, or a worker by name.
public enum Endpoint: Hashable, Sendable, CustomStringConvertible {
    case client
    case scheduler
    case worker(String)

    public var description: String {
        switch self {
        case .client: "client"
        case .scheduler: "scheduler"
        case .worker(let name): name
        }
    }
}

/// Something that goes wrong on purpose, at a virtual time or by chance.
public enum Fault: Sendable, Hashable {
    /// The worker's process dies; the scheduler learns of it after the detection delay.
    case kill(worker: String, at: Nanoseconds)
    /// A worker joins (a killed name may rejoin).
    case add(WorkerSetup, at: Nanoseconds)
    /// The worker computes `factor` times slower for executions that start in the window.
    case slow(worker: String, factor: Double, from: Nanoseconds, until: Nanoseconds)
    /// Executions of `key` whose attempt number (1 for the first run) is in `attempts` raise.
    case failTask(key: String, attempts: FailedAttempts, error: String)
    /// Every execution raises with this probability (drawn from the fault stream).
    case failRandomly(probability: Double, error: String)
    /// Messages between the two endpoints sent in the window arrive `by` later.
    case delayLink(Endpoint, Endpoint, by: Nanoseconds, from: Nanoseconds, until: Nanoseconds)
    /// Messages between the two endpoints sent in the window are held until it ends.
    case partition(Endpoint, Endpoint, from: Nanoseconds, until: Nanoseconds)
    /// Matching messages arrive later, to force a known interleaving instead of waiting for it.
    case hold(Hold)
}

/// Which messages a hold delays, and by how much. Later messages on the same link wait behind
/// a held one, as on a real connection.
public struct Hold: Sendable, Hashable {
    public var message: MessageKind
    /// The sending and receiving endpoints; `nil` for any.
    public var from: Endpoint?
    public var to: Endpoint?
    /// The task the message is about; `nil` for any.
    public var key: String?
    public var by: Nanoseconds
    /// Only messages sent at or after this time.
    public var after: Nanoseconds
    /// Every match, or only the first.
    public var all: Bool

    public init(
        message: MessageKind, from: Endpoint? = nil, to: Endpoint? = nil, key: String? = nil,
        by: Nanoseconds, after: Nanoseconds = 0, all: Bool = false
    ) {
        self.message = message
        self.from = from
        self.to = to
        self.key = key
        self.by = by
        self.after = after
        self.all = all
    }
}

/// Why a run stopped early.
public enum RunFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// A machine broke an invariant.
    case invariant(time: Nanoseconds, violations: [String], recentTrace: [String])
    /// Nothing was left to happen, yet tasks that could run never finished.
    case hang(time: Nanoseconds, stuckTasks: [String])
    /// The run was stopped before it settled, for the reason given: a livelock (a cycle that
    /// would have gone on for ever without getting anywhere), or the event limit it was given.
    case stopped(time: Nanoseconds, reason: String)

    public var description: String {
        switch self {
        case .invariant(let time, let violations, let recent):
            "invariant violated at \(time) ns: \(violations.joined(separator: "; "))\n"
                + recent.joined(separator: "\n")
        case .hang(let time, let stuck):
            "hang at \(time) ns: \(stuck.count) task(s) never finished: "
                + stuck.prefix(10).joined(separator: ", ")
        case .stopped(let time, let reason):
            "stopped at \(time) ns: \(reason)"
        }
    }
}

extension Fault {
    /// The fault's kind as scenario files name it: `kill`, `add`, `slow`, `fail`,
    /// `fail_probability`, `delay`, `partition` or `hold`.
    public var kind: String {
        switch self {
        case .kill: "kill"
        case .add: "add"
        case .slow: "slow"
        case .failTask: "fail"
        case .failRandomly: "fail_probability"
        case .delayLink: "delay"
        case .partition: "partition"
        case .hold: "hold"
        }
    }

    /// The same fault happening at `time` instead (a window keeps its length).
    public func starting(at time: Nanoseconds) -> Fault {
        switch self {
        case .kill(let worker, _):
            return .kill(worker: worker, at: time)
        case .add(let setup, _):
            return .add(setup, at: time)
        case .slow(let worker, let factor, let start, let end):
            return .slow(
                worker: worker, factor: factor, from: time, until: time.saturatingAdd(end - start))
        case .delayLink(let a, let b, let extra, let start, let end):
            return .delayLink(a, b, by: extra, from: time, until: time.saturatingAdd(end - start))
        case .partition(let a, let b, let start, let end):
            return .partition(a, b, from: time, until: time.saturatingAdd(end - start))
        case .hold(var rule):
            rule.after = time
            return .hold(rule)
        case .failTask, .failRandomly:
            return self
        }
    }
}

/// What a fault does at a time, for a backend to carry out.
public enum TimedFault: Sendable {
    case kill(worker: String, at: Nanoseconds)
    case join(WorkerSetup, at: Nanoseconds)
    /// A window opens (reports draw it): slow-downs, partitions and link delays act on their
    /// own, message by message or execution by execution.
    case window(FaultCode, worker: String?, from: Nanoseconds, until: Nanoseconds)
}

extension [Fault] {
    /// The faults that happen at a time, in order.
    public var timed: [TimedFault] {
        compactMap { fault in
            switch fault {
            case .kill(let name, let time): .kill(worker: name, at: time)
            case .add(let setup, let time): .join(setup, at: time)
            case .slow(let name, _, let start, let end):
                .window(.slow, worker: name, from: start, until: end)
            case .partition(_, _, let start, let end):
                .window(.partition, worker: nil, from: start, until: end)
            case .delayLink(_, _, _, let start, let end):
                .window(.delayLink, worker: nil, from: start, until: end)
            case .failTask, .failRandomly, .hold: nil
            }
        }
    }
}

/// What faults do to executions, the same on either backend.
extension [Fault] {
    /// The speed of the worker named `name` for an execution starting at `time`: its own
    /// speed divided by the factor of every slow-down window open then.
    public func speed(of name: String, base: Double, at time: Nanoseconds) -> Double {
        var speed = base
        for case .slow(let worker, let factor, let start, let end) in self
        where worker == name && start <= time && time < end {
            speed /= factor
        }
        return speed
    }

    /// The failure injected into this execution of `key` (attempt 1 is the first run), if
    /// any; `draw` gives a uniform number in [0, 1) from the fault stream, asked only for
    /// random failures.
    public func injectedFailure(key: String, attempt: Int, draw: () -> Double) -> TaskFailure? {
        for fault in self {
            switch fault {
            case .failTask(let target, let attempts, let error)
            where target == key && attempts.contains(attempt):
                return TaskFailure(
                    kind: error, message: "injected failure of \(key), attempt \(attempt)")
            case .failRandomly(let probability, let error) where draw() < probability:
                return TaskFailure(kind: error, message: "injected random failure of \(key)")
            default:
                continue
            }
        }
        return nil
    }

    /// Whether any fault makes executions fail.
    public var failsTasks: Bool {
        contains {
            switch $0 {
            case .failTask, .failRandomly: true
            default: false
            }
        }
    }
}
