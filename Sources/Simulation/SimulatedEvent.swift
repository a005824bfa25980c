import Cluster
import Scheduling

/// Something that happens at a virtual time. Ties break by the order events were scheduled.
///
/// The queue holds only the time, the tie-breaker and where the action waits in
/// ``SimulatedCluster``'s action slots: a heap moves its entries often, and actions are big.
struct SimulatedEvent: Comparable {
    var time: Nanoseconds
    var sequence: UInt64
    /// The action's slot.
    var slot: Int32

    enum Action {
        /// A message reaches the scheduler's inbox.
        case toScheduler(SchedulerEvent)
        /// The scheduler takes the next message from its inbox.
        case schedulerTurn
        case toWorker(WorkerID, generation: Int, WorkerEvent)
        case toClient(ClientID, key: String, task: TaskID, ClientReport)
        case executionEnded(WorkerID, generation: Int, TaskID, ExecutionOutcome)
        case fetchEnded(WorkerID, generation: Int, TaskID, from: WorkerID, size: Int64)
        case kill(String)
        case join(WorkerSetup)
        case callback(Int)
    }

    static func < (lhs: SimulatedEvent, rhs: SimulatedEvent) -> Bool {
        (lhs.time, lhs.sequence) < (rhs.time, rhs.sequence)
    }

    static func == (lhs: SimulatedEvent, rhs: SimulatedEvent) -> Bool {
        (lhs.time, lhs.sequence) == (rhs.time, rhs.sequence)
    }
}

/// How an execution ended: its value (already computed when it started) or its failure.
enum ExecutionOutcome {
    case value(any Sendable, size: Int64, duration: Nanoseconds)
    case failure(TaskFailure)
}

/// A worker process of the simulated cluster: the real worker state machine, plus what the
/// simulation keeps for it (its data, its speed, its incoming link).
final class VirtualWorker {
    let spec: WorkerSetup
    let machine: WorkerStateMachine
    /// Bumped when the process dies, so events meant for the old process are dropped.
    let generation: Int
    var alive = true
    /// The results in its memory; their sizes are in its machine's records. Looked up only.
    var store: [TaskID: any Sendable] = [:]
    /// When its incoming link is free again (with contention).
    var linkFreeAt: Nanoseconds = 0

    init(spec: WorkerSetup, id: WorkerID, generation: Int) {
        self.spec = spec
        self.generation = generation
        machine = spec.makeMachine(id: id)
    }
}
