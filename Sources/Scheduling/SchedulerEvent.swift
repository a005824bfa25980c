/// What the scheduler reacts to: client requests, worker lifecycle, worker messages, ticks.
///
/// Cases with large payloads that few events carry are `indirect`, so that the rest stay
/// small: events and commands are copied through queues and tables by the million.
public enum SchedulerEvent: Sendable, Hashable {
    /// A client submits tasks (in any order; dependencies resolve within the update) and wants
    /// the results of the `wanted` tasks (usually all of them).
    case updateGraph(client: ClientID, tasks: [TaskSpec], wanted: [TaskID])
    /// A client cancels tasks; `force` cancels them for every client, also while they run.
    /// `request` (the client's own number for this request) comes back in the cancellation
    /// notices it causes, so the client can tell them from news about a later submission of
    /// the same key (dask's race R8).
    case cancel(client: ClientID, tasks: [TaskID], force: Bool, request: UInt64 = 0)
    /// A client places data on workers (dask's `scatter`): each item goes to one running
    /// worker, round-robin over `workers` (names; empty: all), and is in memory once that
    /// worker confirms it holds it.
    case scatter(client: ClientID, data: [ScatterItem], workers: [String])
    /// A client drops its last reference to tasks.
    case release(client: ClientID, tasks: [TaskID])
    /// A worker joins. The scheduler answers with its id through ``SchedulerCommand/workerAdded``.
    indirect case workerAdded(WorkerSpec)
    /// A worker left or was declared dead; `expected` for a graceful retirement (its tasks do
    /// not count as suspicious).
    case workerRemoved(WorkerID, expected: Bool)
    /// A worker began executing a task.
    case taskStarted(TaskID, worker: WorkerID, run: RunID)
    /// A worker finished a task: its result (of `outputSize` bytes) is in its memory.
    case taskFinished(
        TaskID, worker: WorkerID, run: RunID, outputSize: Int64, duration: Nanoseconds)
    /// A task raised on a worker.
    indirect case taskErred(TaskID, worker: WorkerID, run: RunID, failure: TaskFailure)
    /// A victim answers a steal request with the task's state on it (`nil`: it does not know
    /// the task).
    case stealResponse(TaskID, worker: WorkerID, state: WorkerTaskReport?, steal: StealID)
    /// A worker holds replicas it was not asked to compute (fetched, or a resumed execution).
    case addKeys(worker: WorkerID, tasks: [TaskID])
    /// A worker could not find a task's data where the scheduler said it was.
    case missingData(TaskID, worker: WorkerID, holder: WorkerID)
    /// A worker found none of the holders it knew of for these results and asks where they
    /// are now.
    case requestRefreshWhoHas(worker: WorkerID, tasks: [TaskID])
    /// A worker paused (its memory passed its pause threshold) or runs again (dask's
    /// `worker-status-change`).
    case workerStatusChanged(WorkerID, paused: Bool)
    /// A task seceded from its worker's threads after running `computeDuration` (`nil` when
    /// the worker tells in arrears, after a cancellation was forgotten) (dask's
    /// `long-running`).
    case longRunning(TaskID, worker: WorkerID, run: RunID, computeDuration: Nanoseconds?)
    /// A worker's periodic report of what it measured: its estimate of the bandwidth of the
    /// transfers it made, in bytes a second (dask's `heartbeat_worker` metrics).
    case heartbeat(WorkerID, bandwidth: Double)
    /// The time the scheduler asked for with ``SchedulerCommand/wakeAt(_:)`` has come.
    case tick
}

/// A task's state on a worker, as a worker reports it in a steal response.
public enum WorkerTaskReport: String, Sendable, Hashable, CaseIterable {
    case released, waiting, ready, constrained, executing, longRunning, memory, cancelled,
        resumed, fetch, flight, missing, error

    /// The victim let the task go: the steal is confirmed.
    var confirmsSteal: Bool {
        self == .ready || self == .constrained || self == .waiting
    }
}
