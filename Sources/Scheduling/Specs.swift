/// One task of a graph update: what the client asks the scheduler to compute.
///
/// What few tasks ask for (retries, resources, workers, estimates) is kept out of line: a
/// million-task update carries its specs until the scheduler has taken it.
public struct TaskSpec: Sendable, Hashable {
    /// The task's id, as the cluster's ``TaskKeys`` gave it; an existing task is not computed
    /// again (pure-key deduplication).
    public var id: TaskID
    /// Beside the id, where it takes no room of its own: priorities are 32 bits wide.
    private var userPriority: Int32
    /// The task's key, for its record and its group; the scheduler never looks it up.
    public var key: TaskKey
    /// Tasks this task needs as inputs; each must be known to the scheduler or earlier in the
    /// same update.
    public var dependencies: [TaskID]
    /// Higher runs first among ready tasks (dask's `priority=`); kept clamped to 32 bits, as
    /// the scheduler orders by it.
    public var priority: Int {
        get { Int(userPriority) }
        set { userPriority = Int32(clamping: newValue) }
    }
    private var rare = OutOfLine<Rarities>()

    /// How many times a task that raised is run again before it errs.
    public var retries: Int {
        get { rare.ifSet?.retries ?? 0 }
        set { rare.edit(unless: newValue == 0) { $0.retries = newValue } }
    }
    /// Abstract resources the task holds while it runs, such as `["GPU": 1]`.
    public var resources: [String: Double] {
        get { rare.ifSet?.resources ?? [:] }
        set { rare.edit(unless: newValue.isEmpty) { $0.resources = newValue } }
    }
    /// Names of the workers it may run on; empty means any.
    public var workers: [String] {
        get { rare.ifSet?.workers ?? [] }
        set { rare.edit(unless: newValue.isEmpty) { $0.workers = newValue } }
    }
    /// The expected running time, when the client knows it.
    public var estimatedDuration: Nanoseconds? {
        get { rare.ifSet?.estimatedDuration }
        set { rare.edit(unless: newValue == nil) { $0.estimatedDuration = newValue } }
    }
    /// The expected size of its result, when the client knows it.
    public var estimatedOutputSize: Int64? {
        get { rare.ifSet?.estimatedOutputSize }
        set { rare.edit(unless: newValue == nil) { $0.estimatedOutputSize = newValue } }
    }
    /// Whether `workers` is only a preference.
    public var allowOtherWorkers: Bool {
        get { rare.ifSet?.allowOtherWorkers ?? false }
        set { rare.edit(unless: !newValue) { $0.allowOtherWorkers = newValue } }
    }

    /// Whether it asks for nothing of the above (most tasks): its record needs none of them.
    var asksForNothingRare: Bool { !rare.isSet }

    public init(
        id: TaskID, key: TaskKey, dependencies: [TaskID] = [], priority: Int = 0, retries: Int = 0,
        resources: [String: Double] = [:], workers: [String] = [],
        allowOtherWorkers: Bool = false, estimatedDuration: Nanoseconds? = nil,
        estimatedOutputSize: Int64? = nil
    ) {
        self.id = id
        userPriority = Int32(clamping: priority)
        self.key = key
        self.dependencies = dependencies
        self.retries = retries
        self.resources = resources
        self.workers = workers
        self.allowOtherWorkers = allowOtherWorkers
        self.estimatedDuration = estimatedDuration
        self.estimatedOutputSize = estimatedOutputSize
    }

    /// What few tasks ask for.
    private struct Rarities: Hashable, Sendable, DefaultValued {
        var retries = 0
        var resources: [String: Double] = [:]
        var workers: [String] = []
        @Compact var estimatedDuration: Nanoseconds? = nil
        @Compact var estimatedOutputSize: Int64? = nil
        var allowOtherWorkers = false
    }
}

/// One value a client scatters: its task and the size of its data. The data goes to the
/// workers the scheduler picks; the scheduler sees only the size.
public struct ScatterItem: Sendable, Hashable {
    public var id: TaskID
    public var key: String
    public var size: Int64

    public init(id: TaskID, key: String, size: Int64) {
        self.id = id
        self.key = key
        self.size = size
    }
}

/// A worker as it announces itself to the scheduler.
public struct WorkerSpec: Sendable, Hashable {
    public var name: String
    public var threads: Int
    /// Bytes of memory; `nil` for no limit.
    public var memoryLimit: Int64?
    /// Abstract resources it supplies, such as `["GPU": 2]`.
    public var resources: [String: Double]

    public init(
        name: String, threads: Int = 1, memoryLimit: Int64? = nil,
        resources: [String: Double] = [:]
    ) {
        self.name = name
        self.threads = threads
        self.memoryLimit = memoryLimit
        self.resources = resources
    }
}

/// Where a worker stands. A paused worker (its memory is nearly full) keeps its tasks and
/// serves its data but is given no new work until it runs again, as dask's.
public enum WorkerStatus: String, Sendable, Hashable {
    case running, paused, closing, dead

    /// Whether messages reach a worker in it: running or paused.
    var isConnected: Bool { self == .running || self == .paused }
}

/// What a worker with a memory limit does as its data fills it (dask's
/// `distributed.worker.memory.target`, `.spill`, `.pause` and `.terminate`): fractions of the
/// limit above which it moves results to disk, pauses, and has its process killed and started
/// again; `nil` turns one off.
public struct MemoryThresholds: Sendable, Hashable {
    /// Above this share, the least recently used results move to disk as results arrive
    /// (dask's `target`, on the data it manages).
    public var target: Double?
    /// Above this share, the memory monitor moves results to disk until the data is back
    /// under `target` (or under `spill` when there is no target) (dask's `spill`, on process
    /// memory, which here is the data held).
    public var spill: Double?
    public var pause: Double?
    public var terminate: Double?

    /// dask's defaults: spill the oldest data above 60 % (and 70 %), pause above 80 %,
    /// restart above 95 %.
    public init(
        target: Double? = 0.6, spill: Double? = 0.7, pause: Double? = 0.8,
        terminate: Double? = 0.95
    ) {
        self.target = target
        self.spill = spill
        self.pause = pause
        self.terminate = terminate
    }
}
