/// What a worker's state machine reacts to: the scheduler's messages, the outcomes of the
/// executions and fetches it started, and news about peers. See ``SchedulerEvent`` on its
/// `indirect` cases.
public enum WorkerEvent: Sendable, Hashable {
    /// Compute this task (under this run id) once its inputs are here.
    case compute(ComputeRequest)
    /// Here is a scattered task's data (of `size` bytes): keep it and confirm under `run`.
    case updateData(TaskID, run: RunID, size: Int64)
    /// Drop these tasks: forget results, give up on runs.
    case freeKeys([TaskID])
    /// Drop these results if they are in memory here: the scheduler counts them elsewhere
    /// (dask's `remove-replicas`).
    case removeReplicas([TaskID])
    /// Give this task up if it has not started.
    case stealRequest(TaskID, steal: StealID)
    /// Fetch these results from the listed holders and keep them.
    case acquireReplicas([ComputeRequest.Input])
    /// Where results it could not find live now: the scheduler's answer to
    /// request-refresh-who-has (dask's `refresh-who-has`).
    case refreshWhoHas([ComputeRequest.Input])
    /// An execution this machine started ended with a result of `outputSize` bytes.
    case executionSucceeded(TaskID, outputSize: Int64, duration: Nanoseconds)
    /// An execution this machine started seceded from its thread after running
    /// `computeDuration` (dask's `secede()`): its thread takes other work while it goes on.
    case secede(TaskID, computeDuration: Nanoseconds)
    /// An execution this machine started raised.
    indirect case executionFailed(TaskID, failure: TaskFailure)
    /// A fetch this machine started delivered the data.
    case fetchSucceeded(TaskID, from: WorkerID, size: Int64)
    /// A fetch this machine started failed: the peer did not have the data.
    case fetchFailed(TaskID, from: WorkerID)
    /// A peer left the cluster: stop fetching from it.
    case peerGone(WorkerID)
    /// Stop starting executions and fetches, or start again (as asked; memory pressure
    /// pauses a worker with a memory limit on its own).
    case pause
    case unpause
}

/// What a worker's state machine asks for, in order.
public enum WorkerCommand: Sendable, Hashable {
    /// Run the task on a free thread; report back with `executionSucceeded` or
    /// `executionFailed`.
    case execute(TaskID, run: RunID)
    /// Copy these results from a peer in one message of `bytes` in all (dask's `gather_dep`);
    /// report back with `fetchSucceeded` or `fetchFailed` for each.
    case fetch([TaskID], from: WorkerID, bytes: Int64)
    /// The result is no longer needed here: free its memory.
    case freeData(TaskID)
    /// A result of `size` bytes moved to disk to make room.
    case spill(TaskID, size: Int64)
    /// A spilled result is read back from disk for the execution that follows.
    case unspill(TaskID, size: Int64)
    /// Send this message to the scheduler.
    case send(WorkerMessage)
    /// A task changed state (for the trace).
    case transition(TaskID, from: WorkerTaskState, to: WorkerTaskState)
    /// The data held passed the terminate threshold: the process is to be killed and started
    /// again under its name, as dask's nanny does. Always the last command of its event.
    case exceededMemory
}

/// Messages a worker sends to the scheduler.
public enum WorkerMessage: Sendable, Hashable {
    case taskStarted(TaskID, run: RunID)
    case taskFinished(TaskID, run: RunID, outputSize: Int64, duration: Nanoseconds)
    indirect case taskErred(TaskID, run: RunID, failure: TaskFailure)
    case stealResponse(TaskID, state: WorkerTaskReport?, steal: StealID)
    /// A task seceded (dask's `long-running`; `computeDuration` `nil` when told in arrears).
    case longRunning(TaskID, run: RunID, computeDuration: Nanoseconds?)
    /// It holds results it was not asked to compute.
    case addKeys([TaskID])
    /// A holder the scheduler named did not have the data.
    case missingData(TaskID, holder: WorkerID)
    /// No holder it knew of could provide these results: where do they live now? (dask's
    /// `request-refresh-who-has`)
    case requestRefreshWhoHas([TaskID])
    /// It paused, or runs again.
    case statusChanged(paused: Bool)

    /// The scheduler event this message becomes when it arrives from `worker`.
    public func event(from worker: WorkerID) -> SchedulerEvent {
        switch self {
        case .taskStarted(let task, let run):
            .taskStarted(task, worker: worker, run: run)
        case .taskFinished(let task, let run, let size, let duration):
            .taskFinished(task, worker: worker, run: run, outputSize: size, duration: duration)
        case .taskErred(let task, let run, let failure):
            .taskErred(task, worker: worker, run: run, failure: failure)
        case .stealResponse(let task, let state, let steal):
            .stealResponse(task, worker: worker, state: state, steal: steal)
        case .longRunning(let task, let run, let computeDuration):
            .longRunning(task, worker: worker, run: run, computeDuration: computeDuration)
        case .addKeys(let tasks):
            .addKeys(worker: worker, tasks: tasks)
        case .missingData(let task, let holder):
            .missingData(task, worker: worker, holder: holder)
        case .requestRefreshWhoHas(let tasks):
            .requestRefreshWhoHas(worker: worker, tasks: tasks)
        case .statusChanged(let paused):
            .workerStatusChanged(worker, paused: paused)
        }
    }
}
