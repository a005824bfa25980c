/// What a worker knows of one task: a record the worker changes in place (a class, so that
/// reading one field of it from the worker's table does not copy the whole record).
///
/// Writes to the fields the invariants read are reported to the worker's change log, so that
/// checking after an event can look at the records it changed. The fields go from the widest
/// to the narrowest, so that padding between them does not grow every record.
public final class WorkerTask {
    // Eight-byte fields.
    private let changes: WorkerChangeLog
    var priority = TaskPriority(negatedUser: 0, generation: 0, sequence: 0)
    var dependencies: [TaskID] = [] {
        didSet {
            dependenciesVersion &+= 1
            changes.note(self)
        }
    }
    /// Tasks here that need this one as an input.
    var dependents: [TaskID] = []
    /// Peers said to hold the result, for fetching.
    var holders: [WorkerID] = []
    var resources: [ResourceAmount] = []
    /// Its result's size, once in memory here (bytes).
    public internal(set) var size: Int64 = 0
    /// When its result was last stored or read here (by the worker's use count), for
    /// spilling the least recently used first.
    var lastUse = 0
    /// The run the scheduler asked this worker to compute, if it did.
    @Compact public internal(set) var run: RunID? = nil { didSet { changes.note(self) } }

    // Four-byte fields.
    let id: TaskID
    /// Decreases with every compute request, so that among equal priorities the most recent
    /// request runs first (dask's LIFO tie-break).
    var order: Int32 = 0
    /// Bumped whenever `dependencies` is set, so the checker knows to count them again.
    var dependenciesVersion: UInt32 = 0
    /// The check that last looked at it.
    var checkMark: UInt32 = 0
    /// Inputs not in memory here, while waiting.
    var waitingFor: Int32 = 0 { didSet { changes.note(self) } }
    /// The peer a transfer of it is coming from, while in flight.
    @Compact var fetchingFrom: WorkerID? = nil { didSet { changes.note(self) } }
    /// The gather it is coming in, while in flight; 0 otherwise.
    var gather: UInt32 = 0 { didSet { changes.note(self) } }
    /// What the invariant checker last saw of it: its gather, and its dependencies not in
    /// memory here, kept from their state changes, with the `dependenciesVersion` it was
    /// counted for (`nil`: to be counted in full).
    var checkedGather: UInt32 = 0
    var checkedMissing: Int32 = 0
    var checkedVersion: UInt32?

    // One-byte fields.
    public internal(set) var state = WorkerTaskState.released { didSet { changes.note(self) } }
    /// Its result, in memory here, was moved to disk.
    public internal(set) var isSpilled = false
    /// Its execution seceded (dask's long-running): it no longer takes one of the threads.
    /// It keeps its state (executing, or cancelled or resumed while the execution runs).
    public internal(set) var seceded = false
    /// For `cancelled`: what the task was doing (executing or flight), which goes on.
    public internal(set) var previous: WorkerTaskState? { didSet { changes.note(self) } }
    /// For `resumed`: what it becomes when that ends (waiting: compute it here; fetch: it is
    /// wanted as data).
    public internal(set) var next: WorkerTaskState? { didSet { changes.note(self) } }
    /// What the invariant checker last saw of it: its state.
    var checkedState: WorkerTaskState?
    /// The checker's flags, one byte for three: with the order in four bytes, that brings
    /// the record from a 176-byte allocation to a 160-byte one.
    private var marks = CheckerMarks()

    init(id: TaskID, changes: WorkerChangeLog) {
        self.id = id
        self.changes = changes
    }

    /// Whether, when the checker last looked, it counted as executing.
    var checkedRuns: Bool {
        get { marks.contains(.runs) }
        set { marks.set(.runs, newValue) }
    }
    /// Whether, when the checker last looked, it counted as fetching.
    var checkedFetches: Bool {
        get { marks.contains(.fetches) }
        set { marks.set(.fetches, newValue) }
    }
    /// Whether it is in the change log now.
    var isLogged: Bool {
        get { marks.contains(.logged) }
        set { marks.set(.logged, newValue) }
    }

    /// Whether it counts as executing here: a thread is busy with it.
    var runs: Bool {
        state == .executing || (state == .cancelled && previous == .executing)
            || (state == .resumed && next == .fetch)
    }

    /// Whether it counts as fetching here: a transfer is bringing it.
    var fetches: Bool {
        state == .flight || (state == .cancelled && previous == .flight)
            || (state == .resumed && next == .waiting)
    }
}

/// The worker task records written since the invariants were last checked, and the totals
/// that check saw; off (and free) until a checker asks for changes.
final class WorkerChangeLog {
    var isOn = false
    private(set) var changed: [WorkerTask] = []
    /// Tasks counting as executing and as fetching, as last checked.
    var running = 0
    var fetching = 0
    /// Records in each gather (by id), as last checked.
    var gatherSizes: [UInt32: Int] = [:]
    /// Checks so far, to mark the records each one looked at.
    var checks: UInt32 = 0
    /// The records the current check takes in, the records it visits, and the fetches that
    /// entered or left flight since the last check (kept between checks: a check allocates
    /// nothing for its lists).
    var taken: [WorkerTask] = []
    var toVisit: [WorkerTask] = []
    var flightChanges: [TaskID] = []
    /// Whether the execution or fetch list or the resources in use changed since the check.
    var listsChanged = true

    func note(_ task: WorkerTask) {
        guard isOn, !task.isLogged else { return }
        task.isLogged = true
        changed.append(task)
    }

    /// Moves the records written since the last call into `taken`.
    func take() {
        taken.removeEach()
        swap(&taken, &changed)
        for record in taken { record.isLogged = false }
    }
}

/// The invariant checker's flags on a worker task record.
private struct CheckerMarks: OptionSet {
    let rawValue: UInt8
    init(rawValue: UInt8 = 0) { self.rawValue = rawValue }
    static let runs = CheckerMarks(rawValue: 1)
    static let fetches = CheckerMarks(rawValue: 2)
    static let logged = CheckerMarks(rawValue: 4)

    mutating func set(_ flag: CheckerMarks, _ on: Bool) {
        if on { insert(flag) } else { remove(flag) }
    }
}

/// A ready task in the execution heap; entries whose task moved on are skipped.
struct ReadyEntry: Comparable {
    var priority: TaskPriority
    var order: Int32
    var task: TaskID

    static func < (lhs: ReadyEntry, rhs: ReadyEntry) -> Bool {
        (lhs.priority, lhs.order) < (rhs.priority, rhs.order)
    }
}
