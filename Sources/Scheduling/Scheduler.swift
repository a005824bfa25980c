/// A dask.distributed-style scheduler as a pure state machine: events in, commands out.
///
/// It has no clock, threads, I/O or unseeded randomness: each event comes with the time it is
/// handled at, and everything it wants done comes back as ``SchedulerCommand``s, in order. A
/// simulator and a thread executor drive the same code by delivering events and carrying out
/// commands. Task states, transitions and the handling of stale messages follow
/// dask.distributed (`distributed/scheduler.py`); worker choice is delegated to a
/// ``SchedulingPolicy``.
public final class Scheduler {
    public let configuration: SchedulerConfiguration
    public let policy: any SchedulingPolicy

    /// By task id, as the cluster's ``TaskKeys`` gives them; ids not yet submitted here
    /// (another client's, on their way) hold placeholders.
    var tasks = ChangeTrackedTable<TaskRecord>()
    /// Each task's key, by id (empty for a placeholder), unless `keyLookup` has them.
    var keys: [TaskKey] = []
    /// The cluster's key table, if the scheduler reads keys there rather than keeping them.
    let keyLookup: (any TaskKeyLookup)?
    var workers = ChangeTrackedTable<WorkerRecord>()
    /// Live workers by name; looked up only.
    var workerByName: [String: WorkerID] = [:]
    /// By worker id, a list holding just that worker: the replica list of most results.
    var soleReplica: [[WorkerID]] = []
    /// Running workers in id order.
    var runningWorkers: [WorkerID] = []
    var totalThreads = 0
    /// Queuing is off (infinite saturation): root-ish groups are co-assigned, and only then
    /// does each group count its tasks awaiting a worker (``GroupRecord/unplaced``).
    let queuingIsOff: Bool
    /// Free processing slots summed over running workers (for queued root-ish tasks).
    var freeSlots = 0
    /// Running workers with a free slot.
    var workersWithFreeSlots = WorkerSet()

    var groups: [GroupRecord] = []
    var groupByName: [String: Int32] = [:]
    /// The newest group's name in UTF-8: consecutive tasks mostly share a group, and each is
    /// tried against it first. Owned outright, as an array held here would be retained and
    /// released around each task's read.
    var newestGroupUTF8 = OwnedBytes([])
    var nameIDs: [String: Int32] = [:]
    var resourceIDs: [String: Int] = [:]

    /// Queued root-ish tasks by priority; entries whose task left `queued` are skipped.
    var queue = TaskQueue()
    /// The sequence numbers of the tasks the policy is prioritising: tasks no queue holds yet.
    var prioritising = 0..<0
    /// The most entries the queue held since its storage was last made to fit.
    var queuePeak = 0
    /// Steals requested and not yet answered, by task (dask's `in_flight`); looked up only.
    var stealsInFlight = TaskMap<StealRecord>()

    var now: Nanoseconds = 0
    var nextRun: UInt64 = 1
    var nextSteal: UInt64 = 1
    var nextSequence = 0
    var generation = 0
    var lastGenerationBump: Nanoseconds?
    /// The pending tick, and when balancing and the memory manager are next due.
    var wakeRequested: Nanoseconds?
    var balanceDue: Nanoseconds?
    var memoryManagerDue: Nanoseconds?
    /// Tasks that gained a second replica since the memory manager last looked (some may
    /// have lost it again).
    var replicated: [TaskID] = []
    /// The bytes a second the scheduler assumes transfers take: the configured figure, then
    /// what workers' heartbeats teach it.
    public internal(set) var bandwidth: Double
    /// Counts of tasks per state, by raw value. Inline, not an array: every state change
    /// writes two, and an array in a class property is checked for sharing before each write.
    var stateCounts = InlineArray<8, Int>(repeating: 0)
    /// Every event handled, for benchmarks and reports.
    public private(set) var eventsHandled = 0

    /// For each task, the last task that linked to it as a dependency (duplicate detection).
    var linkMarks: [Int32] = []
    /// ``objectives(of:among:)``'s bytes held by each worker, all zero between its calls.
    var heldBytesScratch: [Int64] = []
    var out: [SchedulerCommand] = []
    /// What the last ``changedInvariantViolations()`` saw; `nil` before the first.
    var lastChecked: CheckedTotals?
    /// The checker's tally of a worker's processing tasks, by group id, and the groups it
    /// counted: kept between checks (all zero after each) so that checking allocates nothing.
    var groupTally: [Int32] = []
    var talliedGroups: [Int] = []
    /// Tasks with a pending recommendation (``TaskRecord/recommended``), taken last-in first-out.
    var recommendations: [TaskID] = []
    /// The lists a graph update fills, kept empty from one update to the next.
    var updateLists = UpdateLists()

    /// A scheduler with `configuration` and `policy`, which reads its tasks' keys in
    /// `keyLookup` if given, else keeps those its graph updates bring.
    public init(
        configuration: SchedulerConfiguration = .init(), policy: any SchedulingPolicy,
        keyLookup: (any TaskKeyLookup)? = nil
    ) {
        precondition(configuration.workerSaturation > 0, "worker saturation must be positive")
        precondition(
            stateCounts.count == SchedulerTaskState.allCases.count, "a count for each state")
        self.configuration = configuration
        queuingIsOff = !configuration.workerSaturation.isFinite
        self.policy = policy
        self.keyLookup = keyLookup
        bandwidth = Double(configuration.bandwidth)
    }

    /// Handles one event at time `now`, appending the resulting commands to `commands`.
    public func handle(
        _ event: SchedulerEvent, at now: Nanoseconds, into commands: inout [SchedulerCommand]
    ) {
        precondition(now >= self.now, "time went backwards: \(now) < \(self.now)")
        self.now = now
        eventsHandled += 1
        swap(&out, &commands)
        defer { swap(&out, &commands) }
        let first = out.count
        dispatch(event)
        runRecommendations()
        fillFreeSlots()
        requestWake()
        if case .tick = event, let last = out.last, case .wakeAt(let time, _) = last,
            out[first...].allSatisfy({ if case .wakeAt = $0 { true } else { false } })
        {
            out[out.count - 1] = .wakeAt(time, idle: true)
        }
    }

    /// Handles one event and returns its commands.
    public func handle(_ event: SchedulerEvent, at now: Nanoseconds) -> [SchedulerCommand] {
        var commands: [SchedulerCommand] = []
        handle(event, at: now, into: &commands)
        return commands
    }

    private func dispatch(_ event: SchedulerEvent) {
        switch event {
        case .updateGraph(let client, let specs, let wanted):
            updateGraph(client: client, specs: specs, wanted: wanted)
        case .cancel(let client, let cancelled, let force, let request):
            cancel(client: client, tasks: cancelled, force: force, request: request)
        case .scatter(let client, let data, let names):
            scatter(client: client, data: data, workers: names)
        case .release(let client, let released):
            release(client: client, tasks: released)
        case .workerAdded(let spec):
            addWorker(spec)
        case .workerRemoved(let worker, let expected):
            removeWorker(worker, expected: expected)
        case .taskStarted(let task, let worker, let run):
            taskStarted(task, worker: worker, run: run)
        case .taskFinished(let task, let worker, let run, let size, let duration):
            taskFinished(task, worker: worker, run: run, size: size, duration: duration)
        case .taskErred(let task, let worker, let run, let failure):
            taskErred(task, worker: worker, run: run, failure: failure)
        case .stealResponse(let task, let worker, let state, let steal):
            stealResponse(task, victim: worker, state: state, steal: steal)
        case .addKeys(let worker, let added):
            addKeys(worker: worker, tasks: added)
        case .missingData(let task, let worker, let holder):
            missingData(task, reporter: worker, holder: holder)
        case .requestRefreshWhoHas(let worker, let asked):
            refreshWhoHas(worker: worker, tasks: asked)
        case .workerStatusChanged(let worker, let paused):
            workerStatusChanged(worker, paused: paused)
        case .longRunning(let task, let worker, let run, let computeDuration):
            longRunning(task, worker: worker, run: run, computeDuration: computeDuration)
        case .heartbeat(let worker, let bandwidth):
            heartbeat(from: worker, bandwidth: bandwidth)
        case .tick:
            tick()
        }
    }
}
