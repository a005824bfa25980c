import Scheduling

/// A worker process as the cluster core keeps it: its state machine, its data, and what the
/// network model needs. A driver keeps its own resources for it (threads) beside this.
public final class ClusterWorker {
    public let setup: WorkerSetup
    public let machine: WorkerStateMachine
    /// Numbers the processes started: events meant for a process that died are dropped.
    public let generation: Int
    public internal(set) var alive = true
    /// The results in its memory; looked up only.
    var store = TaskMap<StoredResult>()
    /// When its incoming link is free again (with contention), in model time.
    var linkFreeAt: Nanoseconds = 0
    /// When its event loop can next start an execution: at the end of its warm-up
    /// (`setup.firstTaskDelay` after it is first told to execute: a fresh dask worker imports
    /// the task's code before any of its threads starts), then a start gap after each start;
    /// `nil` until it is first told to execute.
    private var nextStartAt: Nanoseconds?
    /// The peer processes it has gathered from (so holds a connection to), by worker and
    /// generation; looked up only.
    var connected: Set<PeerProcess> = []
    /// Its estimate of the bandwidth of its transfers, in bytes a second (dask's
    /// `Worker.bandwidth`), which its heartbeats report.
    public internal(set) var bandwidth: Double

    init(setup: WorkerSetup, id: WorkerID, generation: Int, bandwidth: Double) {
        self.setup = setup
        self.generation = generation
        self.bandwidth = bandwidth
        machine = setup.makeMachine(id: id)
    }

    public var id: WorkerID { machine.id }

    /// When an execution it is told to start at `now` can start: at once, or when its warm-up
    /// ends (which the first such order begins), or `gap` after the execution it started
    /// last, whichever is latest.
    func startTime(at now: Nanoseconds, gap: Nanoseconds) -> Nanoseconds {
        let start = max(now, nextStartAt ?? now.saturatingAdd(setup.firstTaskDelay))
        nextStartAt = start.saturatingAdd(gap)
        return start
    }

    /// The value of a result it holds.
    public func value(of task: TaskID) -> (any Sendable)? { store[task]?.value }
}

/// One process of a worker: a restarted worker is a new peer to connect to.
struct PeerProcess: Hashable {
    var worker: WorkerID
    var generation: Int
}
