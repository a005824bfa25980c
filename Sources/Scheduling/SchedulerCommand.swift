/// What the scheduler asks its surroundings to do, in order. See ``SchedulerEvent`` on its
/// `indirect` cases.
public enum SchedulerCommand: Sendable, Hashable {
    /// Run a task on a worker, under a fresh run id.
    case compute(ComputeRequest)
    /// Store a scattered task's data (of `size` bytes, which travels with the message) on a
    /// worker, under a run id its confirmation comes back with (dask's `update-data`).
    indirect case updateData(worker: WorkerID, task: TaskID, run: RunID, size: Int64)
    /// The worker should drop these tasks: forget their results, or stop caring about a run.
    case freeKeys(tasks: [TaskID], worker: WorkerID)
    /// Ask a worker to drop its replicas of these results: the scheduler already counts them
    /// gone (dask's `remove-replicas`, from the Active Memory Manager).
    case removeReplicas(tasks: [TaskID], worker: WorkerID)
    /// Tell a worker where results it asked about live now (each with its holders; a result
    /// not in memory is left out).
    case refreshWhoHas(inputs: [ComputeRequest.Input], worker: WorkerID)
    /// Ask a victim to give a task up (answered by a steal response).
    indirect case stealRequest(worker: WorkerID, task: TaskID, steal: StealID)
    /// Tell the other workers that a worker is gone, so they stop fetching from it.
    case workerGone(WorkerID)
    /// A task's news for a client that wants it. In line, not boxed (every finished task
    /// sends one): the news first, so the fields take no more room than the widest case's.
    case report(news: ClientReport, task: TaskID, client: ClientID)
    /// A worker was registered under this id.
    indirect case workerAdded(WorkerID, name: String)
    /// The tasks a graph update or a scatter named, in the order of its keys (existing ones
    /// too): a backend files the bodies that came with the message under them.
    case graphAccepted([TaskID])
    /// Deliver a ``SchedulerEvent/tick`` at this time. `idle`: this wake comes from a
    /// balancing tick that changed nothing (its only command is this wake); while nothing
    /// else happens in the cluster, the next tick would find the same state, so a backend
    /// does not let such a wake keep a run from going quiet.
    case wakeAt(Nanoseconds, idle: Bool = false)
    /// A task changed state (for the trace).
    case transition(TaskID, from: SchedulerTaskState, to: SchedulerTaskState)
    /// Something worth a trace line that changes no state: a stale message ignored, a steal
    /// confirmed or refused.
    case note(TaskID, worker: WorkerID, Note)
}

/// Why a message changed nothing, or what a steal response did.
public enum Note: String, Sendable, Hashable, CaseIterable {
    /// A completion from a worker no longer in the cluster.
    case fromRemovedWorker = "from-removed-worker"
    /// A completion for a task that is not processing (released, queued, erred, forgotten…).
    case notProcessing = "not-processing"
    /// A completion carrying an old run id.
    case staleRun = "stale-run"
    /// A finish for a task that went back to waiting meanwhile (dask's no-op waiting→memory).
    case finishedWhileWaiting = "finished-while-waiting"
    /// A finish for a task already in memory: another replica.
    case extraReplica = "extra-replica"
    /// A steal response with no steal in flight for the task.
    case stealAlreadyAborted = "steal-already-aborted"
    /// A steal response answering an older request.
    case stealStaleResponse = "steal-stale-response"
    /// The victim gave the task up; it moves to the thief.
    case stealConfirmed = "steal-confirmed"
    /// The victim had started or finished the task; it stays.
    case stealRefused = "steal-refused"
    /// The victim did not know the task, or the thief left: the task is dispatched again.
    case stealRescheduled = "steal-rescheduled"
}

/// A compute-task message. A class, so that the scheduler's command and the worker's event
/// that carries it share one copy; equal when its fields are.
public final class ComputeRequest: Sendable, Hashable {
    public let worker: WorkerID
    public let task: TaskID
    public let run: RunID
    public let priority: TaskPriority
    /// Each input and the workers holding it, in dependency order.
    public let inputs: [Input]
    /// Resources it holds while it runs, sorted by name.
    public let resources: [ResourceAmount]

    public init(
        worker: WorkerID, task: TaskID, run: RunID, priority: TaskPriority, inputs: [Input],
        resources: [ResourceAmount]
    ) {
        self.worker = worker
        self.task = task
        self.run = run
        self.priority = priority
        self.inputs = inputs
        self.resources = resources
    }

    public struct Input: Sendable, Hashable {
        public var task: TaskID
        public var holders: [WorkerID]
        public var size: Int64

        public init(task: TaskID, holders: [WorkerID], size: Int64) {
            self.task = task
            self.holders = holders
            self.size = size
        }
    }

    public static func == (lhs: ComputeRequest, rhs: ComputeRequest) -> Bool {
        lhs === rhs
            || (lhs.worker == rhs.worker && lhs.task == rhs.task && lhs.run == rhs.run
                && lhs.priority == rhs.priority && lhs.inputs == rhs.inputs
                && lhs.resources == rhs.resources)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(worker)
        hasher.combine(task)
        hasher.combine(run)
        hasher.combine(priority)
        hasher.combine(inputs)
        hasher.combine(resources)
    }
}

/// What clients hear about a task, to update their futures.
public enum ClientReport: Sendable, Hashable {
    /// It runs on a worker.
    case running
    /// Its result is in memory.
    case finished
    /// It failed, or a dependency failed.
    indirect case erred(TaskFailure)
    /// It was cancelled (by the client request numbered `request`, when one caused it), or
    /// forgotten while wanted.
    indirect case cancelled(reason: String, request: UInt64 = 0)
    /// Its result was lost and will be recomputed.
    case lost
    /// It will run (again): a retry, or its worker died.
    case pending
}
