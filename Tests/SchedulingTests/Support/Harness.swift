import Scheduling
import Testing

/// Drives one scheduler with scripted events, checking after every event that its
/// invariants hold (all of them, and those the event's changes touch) and that every
/// transition it reported is one dask allows.
final class Harness {
    let scheduler: Scheduler
    var now: Nanoseconds = 0
    /// Every command so far, in order.
    private(set) var log: [SchedulerCommand] = []
    /// The commands of the last event.
    private(set) var last: [SchedulerCommand] = []
    let client = ClientID(0)
    /// The keys of the tests' tasks, interned as a client would.
    var keys = TaskKeys()

    init(
        policy: any SchedulingPolicy = LocalityPolicy(),
        configure: (inout SchedulerConfiguration) -> Void = { _ in }
    ) {
        var configuration = SchedulerConfiguration()
        configure(&configuration)
        scheduler = Scheduler(configuration: configuration, policy: policy)
    }

    @discardableResult
    func send(_ event: SchedulerEvent, sourceLocation: SourceLocation = #_sourceLocation)
        -> [SchedulerCommand]
    {
        last = scheduler.handle(event, at: now)
        log += last
        for command in last {
            if case .transition(let task, let from, let to) = command {
                #expect(
                    from.hasDirectTransition(to: to),
                    "illegal \(from) → \(to) for \(scheduler.key(of: task))",
                    sourceLocation: sourceLocation)
            }
        }
        let violations = scheduler.invariantViolations()
        #expect(violations.isEmpty, "\(violations)", sourceLocation: sourceLocation)
        let changed = scheduler.changedInvariantViolations()
        #expect(
            changed.isEmpty, "checking the changes only: \(changed)", sourceLocation: sourceLocation
        )
        return last
    }

    // MARK: Shorthands

    @discardableResult
    func addWorker(_ name: String, threads: Int = 1, resources: [String: Double] = [:])
        -> WorkerID
    {
        send(.workerAdded(WorkerSpec(name: name, threads: threads, resources: resources)))
        return scheduler.worker(named: name)!
    }

    @discardableResult
    func submit(_ keyed: [KeyedSpec], wanted: [String]? = nil) -> [SchedulerCommand] {
        send(graphUpdate(keyed, wanted: wanted))
    }

    func submit(_ keys: String..., dependencies: [String] = []) {
        submit(keys.map { KeyedSpec(key: $0, dependencies: dependencies) })
    }

    /// The update-graph event for these tasks, wanting `wanted` (default: all of them).
    func graphUpdate(_ keyed: [KeyedSpec], wanted: [String]? = nil) -> SchedulerEvent {
        let specs = keys.specs(keyed)
        return .updateGraph(
            client: client, tasks: specs, wanted: wanted.map(ids) ?? specs.map(\.id))
    }

    /// The keys' ids, given now to keys that are new.
    func ids(_ names: [String]) -> [TaskID] { names.map { keys.intern(TaskKey($0)) } }

    /// A scattered item of the key.
    func item(_ key: String, size: Int64) -> ScatterItem {
        ScatterItem(id: keys.intern(TaskKey(key)), key: key, size: size)
    }

    func id(_ key: String) -> TaskID { keys.id(of: TaskKey(key))! }
    func state(_ key: String) -> SchedulerTaskState { scheduler.state(of: id(key)) }
    func worker(of key: String) -> WorkerID? { scheduler.processingWorker(of: id(key)) }
    func run(of key: String) -> RunID { scheduler.currentRun(of: id(key)) }

    /// The worker finishes the task under its current run.
    @discardableResult
    func finish(_ key: String, size: Int64 = 100, duration: Nanoseconds = 1_000_000)
        -> [SchedulerCommand]
    {
        let task = id(key)
        return send(
            .taskFinished(
                task, worker: scheduler.processingWorker(of: task)!,
                run: scheduler.currentRun(of: task),
                outputSize: size, duration: duration))
    }

    @discardableResult
    func fail(_ key: String, _ failure: TaskFailure = .init(kind: "ValueError", message: "boom"))
        -> [SchedulerCommand]
    {
        let task = id(key)
        return send(
            .taskErred(
                task, worker: scheduler.processingWorker(of: task)!,
                run: scheduler.currentRun(of: task),
                failure: failure))
    }

    // MARK: Reading commands

    /// Compute requests among `commands` (default: the last event's), in order.
    func computes(in commands: [SchedulerCommand]? = nil) -> [ComputeRequest] {
        (commands ?? last).compactMap {
            if case .compute(let request) = $0 { return request }
            return nil
        }
    }

    /// Keys sent to compute by the last event, in order.
    var computedKeys: [String] { computes().map { scheduler.key(of: $0.task) } }

    /// Reports to the client among the last event's commands, by key.
    var reports: [String: ClientReport] {
        var result: [String: ClientReport] = [:]
        for command in last {
            if case .report(let news, let task, _) = command {
                result[scheduler.key(of: task)] = news
            }
        }
        return result
    }

    func notes(in commands: [SchedulerCommand]? = nil) -> [Note] {
        (commands ?? last).compactMap {
            if case .note(_, _, let note) = $0 { return note }
            return nil
        }
    }

    func freedKeys(on worker: WorkerID) -> [String] {
        last.flatMap { command -> [String] in
            if case .freeKeys(let freed, worker) = command {
                return freed.map { scheduler.key(of: $0) }
            }
            return []
        }
    }
}

extension TaskFailure {
    static let boom = TaskFailure(kind: "ValueError", message: "boom")
}
