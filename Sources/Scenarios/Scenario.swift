import Cluster
import Scheduling

/// One scenario file: a cluster, a workload, a client timeline, faults and expectations.
public struct Scenario: Sendable {
    public var name: String
    public var description: String
    /// The file it was read from (for messages and replay commands).
    public var file: String
    /// The default seed; `--seed` overrides it.
    public var seed: UInt64
    public var workers: [WorkerSetup]
    public var network: NetworkModel
    public var clientLatency: Nanoseconds
    public var workerLatency: Nanoseconds
    /// How much longer than its latency a message may take (`{uniform: [low, high]}`).
    public var clientJitter: Nanoseconds = 0
    public var workerJitter: Nanoseconds = 0
    /// How long each direction's batched stream holds messages back (dask's by default).
    public var batching = BatchIntervals.dask
    public var overhead: Nanoseconds
    public var detectionDelay: Nanoseconds
    public var policy: String
    public var scheduler: SchedulerConfiguration
    /// Every task, families expanded, in file order.
    public var tasks: [ScenarioTask]
    /// Keys by family name (a `count:` task, or a generator's prefix); looked up only.
    public var families: [String: [String]]
    public var actions: [ClientAction]
    public var faults: [Fault]
    /// Faults whose time is drawn from bounds, by index in `faults` (whose time is the low
    /// bound); looked up only.
    public var faultTimes: [Int: ClosedRange<Nanoseconds>] = [:]
    public var expectations: [Expectation]
    /// Whether a real run spins a CPU for tasks' durations rather than sleeping (tasks may
    /// say otherwise).
    public var cpu = false

    /// Whether judging a run needs its trace by name (an expectation matches trace records).
    public var readsTrace: Bool { expectations.contains(where: \.readsTrace) }

    /// The keys a name stands for: the family's keys, or the key itself.
    public func keys(named name: String) -> [String] { families[name] ?? [name] }
}

/// One task of a scenario.
public struct ScenarioTask: Sendable, Hashable {
    public var key: String
    public var dependencies: [String]
    public var duration: DurationModel
    public var outputSize: Int64
    public var priority: Int
    public var retries: Int
    public var resources: [String: Double]
    public var workers: [String]
    public var allowOtherWorkers: Bool
    /// Whether a real run spins a CPU for its duration; `nil` for the scenario's choice.
    public var cpu: Bool?
    /// After running this long it secedes from its worker's threads (dask's `secede()`).
    public var secedeAfter: Nanoseconds?
    /// The duration and result size the scheduler is told up front (`estimate:`), if any.
    public var estimatedDuration: Nanoseconds?
    public var estimatedOutputSize: Int64?
    /// Data a client `scatter` action places (of `outputSize` bytes, on `workers`), not a
    /// task to submit.
    public var scattered = false

    public init(
        key: String, dependencies: [String] = [], duration: DurationModel = .fixed(0),
        outputSize: Int64 = 8, priority: Int = 0, retries: Int = 0,
        resources: [String: Double] = [:], workers: [String] = [], allowOtherWorkers: Bool = false
    ) {
        self.key = key
        self.dependencies = dependencies
        self.duration = duration
        self.outputSize = outputSize
        self.priority = priority
        self.retries = retries
        self.resources = resources
        self.workers = workers
        self.allowOtherWorkers = allowOtherWorkers
    }
}

/// Something the client does at a time. The client is one thread: an action starts at its
/// time or when the one before it returns, whichever is later (a wait can hold it up).
public enum ClientAction: Sendable, Hashable {
    /// Submit these tasks (with the tasks they depend on).
    case submit(keys: [String], at: Nanoseconds)
    case cancel(keys: [String], force: Bool, at: Nanoseconds)
    /// Drop the client's references to these keys.
    case release(keys: [String], at: Nanoseconds)
    /// Place these scattered keys' data on workers; returns once it is there.
    case scatter(keys: [String], at: Nanoseconds)
    /// Block until the futures are done (all, or the first) or the timeout passes; `gather`
    /// waits for all. The outcome is kept under `name` for expectations.
    case wait(keys: [String], all: Bool, timeout: Nanoseconds?, name: String, at: Nanoseconds)

    var time: Nanoseconds {
        switch self {
        case .submit(_, let at), .cancel(_, _, let at), .release(_, let at),
            .scatter(_, let at), .wait(_, _, _, _, let at):
            at
        }
    }
}
