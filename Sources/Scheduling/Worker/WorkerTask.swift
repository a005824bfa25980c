/// What a worker knows of one task: a record the worker changes in place (a class, so that
/// reading one field of it from the worker's table does not copy the whole record).
public final class WorkerTask {
    public internal(set) var state = WorkerTaskState.released
    /// For `cancelled`: what the task was doing (executing or flight), which goes on.
    public internal(set) var previous: WorkerTaskState?
    /// For `resumed`: what it becomes when that ends (waiting: compute it here; fetch: it is
    /// wanted as data).
    public internal(set) var next: WorkerTaskState?
    /// The run the scheduler asked this worker to compute, if it did.
    public internal(set) var run: RunID?
    var priority = TaskPriority(negatedUser: 0, generation: 0, sequence: 0)
    /// Decreases with every compute request, so that among equal priorities the most recent
    /// request runs first (dask's LIFO tie-break).
    var order = 0
    var dependencies: [TaskID] = []
    /// Tasks here that need this one as an input.
    var dependents: [TaskID] = []
    /// Inputs not in memory here, while waiting.
    var waitingFor = 0
    /// Peers said to hold the result, for fetching.
    var holders: [WorkerID] = []
    var size: Int64 = 0
    var fetchingFrom: WorkerID?
    var resources: [ResourceAmount] = []
    /// Asked for through acquire-replicas: announce it with add-keys once here.
    var replicaRequested = false
}

/// A ready task in the execution heap; entries whose task moved on are skipped.
struct ReadyEntry: Comparable {
    var priority: TaskPriority
    var order: Int
    var task: TaskID

    static func < (lhs: ReadyEntry, rhs: ReadyEntry) -> Bool {
        (lhs.priority, lhs.order) < (rhs.priority, rhs.order)
    }
}
