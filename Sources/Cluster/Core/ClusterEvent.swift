import Scheduling

/// Something that happens to a cluster: what a ``ClusterDriver`` hands back to its
/// ``ClusterCore`` at the time it is due.
///
/// The cases that carry a result (a value of any type) are indirect: held inline, such a
/// payload makes the whole event a type the compiler copies and destroys only through its
/// value witnesses, every event alike; boxed, it costs those events an allocation instead.
public enum ClusterEvent {
    /// A message reaches the scheduler.
    case toScheduler(SchedulerEvent)
    /// A graph update or a scatter reaches the scheduler, with its tasks' bodies in the order
    /// of its keys.
    indirect case withBodies(SchedulerEvent, BodyBatch)
    /// Releases a client made at one instant reach the scheduler as one message.
    case releases(ReleaseBatch)
    /// The scheduler, free again, takes the next message waiting for it (when its time is
    /// modelled, see ``DriverModel/schedulerOverhead``).
    case schedulerTurn
    /// A message reaches a worker process (dropped if that process died meanwhile).
    case toWorker(WorkerID, generation: Int, WorkerEvent)
    /// A report reaches a client.
    case toClient(ClientID, task: TaskID, ClientReport)
    /// The messages waiting on a batched stream leave together.
    case streamDeparts(from: Int32, to: Int32, latency: Nanoseconds)
    /// Messages that left one stream together arrive, to be handled in the order sent; `id`
    /// numbers the batches of the run (from 1).
    case batch([ClusterEvent], id: Int)
    /// An execution seceded after running `after` (its `attempt`: a later execution of the
    /// task is not this one).
    case secede(ExecutionRef, attempt: Int, after: Nanoseconds)
    /// An execution a warming worker process was told to start begins, the warm-up over
    /// (`reading`: bytes of spilled inputs it reads back from disk first).
    case executionBegins(ExecutionRef, run: RunID, reading: Int64)
    /// An execution ended.
    indirect case executionEnded(ExecutionRef, outcome: ExecutionOutcome)
    /// A worker process hears how an execution ended, its ``WorkerSetup/handoff`` after the
    /// end.
    indirect case executionHeard(ExecutionRef, outcome: ExecutionOutcome)
    /// A transfer's time is up: the data moves if its holder still has it.
    case fetchEnded(Transfer)
    /// A transfer's copy arrived.
    indirect case dataArrived(Transfer, StoredResult)
    /// A fault kills a worker process.
    case kill(String)
    /// A worker process starts and asks to join.
    indirect case join(WorkerSetup)
    /// A fault window (slow worker, delayed or cut link) opens: the trace marks it.
    case windowOpens(FaultCode, worker: String?, length: Nanoseconds)
    /// Every live worker sends the scheduler its heartbeat.
    case heartbeats
}

/// A message to the scheduler, with the bodies of its tasks if it is a graph update or a
/// scatter (`nil` for any other message).
struct SchedulerMessage {
    var event: SchedulerEvent
    var bodies: BodyBatch?
}

/// One execution on one worker process.
public struct ExecutionRef: Sendable {
    public var worker: WorkerID
    /// The process's generation: events for a process that died are dropped.
    public var generation: Int
    public var task: TaskID
}

/// An execution a driver runs: the body with its inputs, for its modelled time.
public struct Execution {
    public var ref: ExecutionRef
    public var body: TaskBody
    /// The inputs in the body's order; a missing one is a ``MissingInput``.
    public var inputs: [any Sendable]
    /// The modelled time it takes, at the worker's speed when it starts.
    public var duration: Nanoseconds
    /// The failure a fault injects instead of running the body.
    public var injected: TaskFailure?
    /// Whether it secedes before it ends: its thread then leaves the worker's pool when it
    /// is done, another having taken its place.
    public var secedes = false
}

/// How an execution ended.
public enum ExecutionOutcome: Sendable {
    /// Its value, its modelled size, and how long it took in model time.
    case value(StoredResult, size: Int64, duration: Nanoseconds)
    /// The failure it raised (a body's error is kept with ``ClusterCore/keep(_:)``).
    case failure(TaskFailure)
}

extension ExecutionOutcome {
    /// How an execution of `execution` that took `duration` ended, from what its body did.
    public init(
        _ result: Result<StoredResult, TaskFailure>, of execution: Execution,
        duration: Nanoseconds
    ) {
        switch result {
        case .success(let stored):
            self = .value(stored, size: execution.body.model.outputSize, duration: duration)
        case .failure(let failure):
            self = .failure(failure)
        }
    }
}

/// A transfer of one result from a peer to a worker process.
public struct Transfer: Sendable {
    public var worker: WorkerID
    public var generation: Int
    public var task: TaskID
    public var peer: WorkerID
    /// When the worker asked for it, in model time.
    public var startedAt: Nanoseconds
    /// The result's size: as the receiver knew it when the transfer started, then as its
    /// holder records it.
    public var size: Int64
    /// The bytes of the whole gather it came in, on the gather's first result only: its
    /// arrival is when the receiver measures the gather's bandwidth.
    public var gatherBytes: Int64?
}

/// A result in a worker's memory: the body's value and, when outputs are materialised, as
/// many real bytes as its modelled size (which the worker's state machine records).
public struct StoredResult: Sendable {
    public var value: any Sendable
    public var bytes: [UInt8]?

    public init(value: any Sendable, bytes: [UInt8]? = nil) {
        self.value = value
        self.bytes = bytes
    }

    /// A result of `size` modelled bytes, `share` of which are made real (none for `nil`).
    public init(value: any Sendable, size: Int64, share: Double?) {
        let real = share.map { Int(Int64(saturating: (Double(size) * $0).rounded())) }
        self.init(value: value, bytes: real.map { [UInt8](repeating: 1, count: max($0, 0)) })
    }

    /// The same result with its bytes in a fresh buffer, as a network copy would leave them.
    public func copied() -> StoredResult {
        guard let bytes else { return self }
        var copy = self
        copy.bytes = [UInt8](unsafeUninitializedCapacity: bytes.count) { buffer, count in
            _ = buffer.initialize(from: bytes)
            count = bytes.count
        }
        return copy
    }
}

/// Tasks a client released at one instant, on their way to the scheduler as one message, as
/// dask's batched stream carries them (dropping a million futures sends one message).
public final class ReleaseBatch {
    public let client: ClientID
    public internal(set) var tasks: [TaskID]
    let sentAt: Nanoseconds
    var delivered = false

    init(client: ClientID, tasks: [TaskID], sentAt: Nanoseconds) {
        self.client = client
        self.tasks = tasks
        self.sentAt = sentAt
    }
}
