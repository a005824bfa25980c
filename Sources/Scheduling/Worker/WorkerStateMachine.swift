import HeapModule

/// A worker as a pure state machine (dask's `WorkerState`): events in, commands out.
///
/// It decides which ready task runs next (scheduler priority, most recent request first among
/// equals), which inputs to fetch from which peer (a concurrency limit, another holder when
/// one is gone), what to answer a steal request, and what to do when the scheduler lets go of
/// a task that is executing or in flight (it goes on; its outcome is dropped, unless the task
/// is wanted again meanwhile). The backend carries out executions and fetches and reports
/// their outcomes as events.
public final class WorkerStateMachine {
    public let id: WorkerID
    public let threads: Int
    /// Gathers (messages fetching results from one peer) this worker has in flight at most:
    /// dask's `distributed.worker.connections.incoming`.
    public let fetchLimit: Int
    /// The most bytes one gather asks for, unless its first result alone is bigger: dask's
    /// `distributed.worker.transfer.message-bytes-limit`.
    public static let gatherBytesLimit: Int64 = 50_000_000
    /// How far past the next input to fetch a gather looks for more from the same peer.
    static let gatherWindow = 1024

    var tasks: WorkerTasks
    /// Tasks whose results came into memory during the event being handled: at its end,
    /// those nothing else here needs are kept as held results (see ``WorkerTasks``).
    var enteredMemory: [TaskID] = []
    var ready = Heap<ReadyEntry>()
    /// Ready tasks waiting for resources, in the order they became ready.
    var constrained: [TaskID] = []
    /// Inputs to fetch, in the order they were asked for; entries that moved on are skipped.
    var fetchQueue: [TaskID] = []
    var fetchHead = 0
    /// Inputs in flight. The checker reads the ones added or removed since it last looked.
    var flight = OrderedTaskSet()
    /// Gathers in flight, by id: how many of their results are still on the way.
    var gathers: [UInt32: Int] = [:]
    /// The next gather's id; ids wrap around past 0 (at most `fetchLimit` are in flight).
    var nextGather: UInt32 = 1
    // Changes to these are noted, so the checker reads their entries only after one.
    var executing: [TaskID] = [] { didSet { changes.listsChanged = true } }
    /// Executions listed in `executing` that seceded: they take no thread.
    var seceded = 0 { didSet { changes.listsChanged = true } }
    let supplied: [String: Double]
    // Looked up only.
    var used: [String: Double] = [:] { didSet { changes.listsChanged = true } }
    var gonePeers = Set<WorkerID>()
    /// Bytes of data it may hold, `nil` for no limit, and what it does near that limit.
    public let memoryLimit: Int64?
    public let memoryThresholds: MemoryThresholds
    /// Bytes of the results it holds in memory (tasks in memory, not spilled).
    public internal(set) var memoryInUse: Int64 = 0
    /// Bytes of the results it moved to disk.
    public internal(set) var spilledBytes: Int64 = 0
    /// Counts stores and reads of results, for least-recently-used order.
    var uses = 0
    private var pausedByRequest = false
    private var pausedByMemory = false
    /// Whether it passed the terminate threshold (it is being restarted).
    public private(set) var exceededMemory = false
    /// Whether it starts no executions and no fetches: paused by a `pause` event, or by its
    /// memory above the pause threshold.
    public var isPaused: Bool { pausedByRequest || pausedByMemory }
    /// Task records written since the invariants were last checked, and what that check saw.
    let changes = WorkerChangeLog()
    /// The order of the last compute request (see ``WorkerTask/order``).
    var nextOrder: Int32 = 0
    var out: [WorkerCommand] = []

    public init(
        id: WorkerID, threads: Int, resources: [String: Double] = [:], fetchLimit: Int = 10,
        memoryLimit: Int64? = nil, memoryThresholds: MemoryThresholds = MemoryThresholds()
    ) {
        precondition(threads > 0 && fetchLimit > 0)
        precondition(memoryLimit.map { $0 > 0 } ?? true, "a memory limit must be positive")
        self.id = id
        self.threads = threads
        self.fetchLimit = fetchLimit
        supplied = resources
        self.memoryLimit = memoryLimit
        self.memoryThresholds = memoryThresholds
        tasks = WorkerTasks(changes: changes)
    }

    /// Handles one event, appending the resulting commands to `commands`.
    public func handle(_ event: WorkerEvent, into commands: inout [WorkerCommand]) {
        swap(&out, &commands)
        defer { swap(&out, &commands) }
        let first = out.count
        switch event {
        case .compute(let request): compute(request)
        case .updateData(let task, let run, let size): updateData(task, run: run, size: size)
        case .freeKeys(let keys): keys.forEach(free)
        case .removeReplicas(let keys):
            for key in keys where tasks.state(of: key) == .memory { free(key) }
        case .stealRequest(let task, let steal): stealRequest(task, steal: steal)
        case .acquireReplicas(let inputs): acquireReplicas(inputs)
        case .refreshWhoHas(let inputs): refreshWhoHas(inputs)
        case .executionSucceeded(let task, let size, let duration):
            executionSucceeded(task, size: size, duration: duration)
        case .executionFailed(let task, let failure): executionFailed(task, failure: failure)
        case .secede(let task, let computeDuration):
            secede(task, computeDuration: computeDuration)
        case .fetchSucceeded(let task, let peer, let size):
            fetchSucceeded(task, from: peer, size: size)
        case .fetchFailed(let task, let peer): fetchFailed(task, from: peer)
        case .peerGone(let peer): peerGone(peer)
        case .pause: changePause { pausedByRequest = true }
        case .unpause: changePause { pausedByRequest = false }
        }
        checkMemory(since: first)
        startWork()
        // An incremental invariant check follows records it has seen: none is let go then.
        if !changes.isOn { for task in enteredMemory { tasks.hold(task) } }
        enteredMemory.removeEach()
    }

    /// dask's memory monitor, run after every event: above the terminate threshold the
    /// process is to be restarted; above the pause threshold it pauses, and at or below it
    /// runs again. Memory is the data held; the monitor sees each change at once.
    ///
    /// A process that dies for its memory dies holding the data that filled it: the messages
    /// of the event (commands from `first` on) are never sent, so a task whose result is too
    /// big for the worker counts as running on a worker that died, as in dask, and ends in
    /// `KilledWorker` after the allowed failures instead of being recomputed forever.
    private func checkMemory(since first: Int) {
        guard let memoryLimit, !exceededMemory else { return }
        spillOverThresholds()
        let used = Double(memoryInUse) / Double(memoryLimit)
        if let terminate = memoryThresholds.terminate, used > terminate {
            exceededMemory = true
            out[first...].removeAll { command in
                if case .send = command { true } else { false }
            }
            out.append(.exceededMemory)
            return
        }
        let over = memoryThresholds.pause.map { used > $0 } ?? false
        if over != pausedByMemory { changePause { pausedByMemory = over } }
    }

    /// Applies a change to why the worker is paused, and tells the scheduler if that paused
    /// or resumed it.
    private func changePause(_ change: () -> Void) {
        let wasPaused = isPaused
        change()
        if isPaused != wasPaused { send(.statusChanged(paused: isPaused)) }
    }

    /// Handles one event and returns its commands.
    public func handle(_ event: WorkerEvent) -> [WorkerCommand] {
        var commands: [WorkerCommand] = []
        handle(event, into: &commands)
        return commands
    }

    // MARK: Queries

    /// What the worker knows of a task, or `nil` if it does not know it (for a result kept
    /// in its small form, a record made for the call).
    public func task(_ task: TaskID) -> WorkerTask? { tasks.peek(task) }
    public func state(of task: TaskID) -> WorkerTaskState { tasks.state(of: task) ?? .forgotten }
    /// The size it counts for a task (its result's, or the one it expects to fetch).
    public func size(of task: TaskID) -> Int64? { tasks.size(of: task) }
    /// Whether it moved a task's result to disk.
    public func isSpilled(_ task: TaskID) -> Bool { tasks.isSpilled(task) }
    public var executingCount: Int { executing.count }
    /// Threads its executions take: those that have not seceded.
    public var busyThreads: Int { executing.count - seceded }
    public var flightCount: Int { flight.count }
    /// The tasks whose results it holds, in id order.
    public var heldTasks: [TaskID] { tasks.inMemory.sorted() }

    // MARK: Bookkeeping shared by the handlers

    /// Moves a task to `new`, making its record if the worker did not know it (forgotten →
    /// released).
    func setState(_ task: TaskID, _ new: WorkerTaskState) {
        if let record = tasks[task] { return setState(of: record, to: new) }
        precondition(
            WorkerTaskState.forgotten.canTransition(to: new) || new == .released,
            "worker \(id): illegal transition forgotten → \(new) for \(task)")
        if new != .forgotten {
            let fresh = makeRecord(of: task, in: new)
            if new == .memory {
                memoryInUse += fresh.size
                touch(fresh)
                enteredMemory.append(task)
            }
        }
        if new != .released { out.append(.transition(task, from: .forgotten, to: new)) }
    }

    /// The task's record; a task the worker did not know is made known, released (as
    /// `setState(task, .released)` would, with one lookup).
    func knownRecord(of task: TaskID) -> WorkerTask {
        tasks[task] ?? makeRecord(of: task, in: .released)
    }

    private func makeRecord(of task: TaskID, in state: WorkerTaskState) -> WorkerTask {
        let record = WorkerTask(id: task, changes: changes)
        record.state = state
        tasks[task] = record
        return record
    }

    /// Moves a task the worker knows to `new` (its record, looked up once by the caller).
    /// Inlined: every caller names the new state, so the checks that depend on it alone are
    /// settled where it is called.
    @inline(__always) func setState(of record: WorkerTask, to new: WorkerTaskState) {
        let task = record.id
        let old = record.state
        precondition(
            old.canTransition(to: new),
            "worker \(id): illegal transition \(old) → \(new) for \(task)")
        if old == .memory, new != .memory {
            if record.isSpilled {
                record.isSpilled = false
                spilledBytes -= record.size
            } else {
                memoryInUse -= record.size
            }
        }
        record.state = new
        if new == .forgotten {
            tasks[task] = nil
        } else {
            // Written only to clear: each write is noted for the invariant checker.
            if new != .cancelled, record.previous != nil { record.previous = nil }
            if new != .resumed, record.next != nil { record.next = nil }
        }
        if new == .memory, old != .memory {
            memoryInUse += record.size
            touch(record)
            enteredMemory.append(task)
        }
        out.append(.transition(task, from: old, to: new))
    }

    func send(_ message: WorkerMessage) { out.append(.send(message)) }

    /// Whether a dependent here still needs the task's result: one waiting for its inputs,
    /// ready, constrained, or resumed (the caller has checked the task itself is released).
    func isNeededHere(_ record: WorkerTask) -> Bool {
        record.dependents.contains { dependent in
            switch tasks[dependent]?.state {
            case .waiting?, .ready?, .constrained?, .resumed?: true
            default: false
            }
        }
    }

    /// Forgets a released task nothing here needs any more.
    func forgetIfUnneeded(_ task: TaskID) {
        guard let record = tasks[task], record.state == .released, !isNeededHere(record)
        else { return }
        let dependencies = record.dependencies
        setState(of: record, to: .forgotten)
        for dependency in dependencies {
            guard let input = tasks[dependency] else { continue }
            input.dependents.removeAll { $0 == task }
            if input.state == .released { forgetIfUnneeded(dependency) }
        }
    }
}
