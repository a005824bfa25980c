import Cluster
import Futures
import Scheduling

/// One worker process of a thread-backed cluster: the real worker state machine (on the
/// cluster's control loop), a pool of threads for executions, and a data store other workers
/// copy from.
final class RealWorker: @unchecked Sendable {
    let setup: WorkerSetup
    let id: WorkerID
    let pool: ThreadPool
    /// Results held here; peers read it while fetching.
    let store = Locked<[TaskID: StoredResult]>([:])

    // Touched only on the cluster's control loop.
    let machine: WorkerStateMachine
    var work: [TaskID: TaskWork] = [:]
    var commands: [WorkerCommand] = []
    /// When its incoming link is free again (monotonic ns), with contention.
    var linkFreeAt: Int64 = 0

    private let life = Monitor()
    // Guarded by `life`.
    private var alive = true

    init(setup: WorkerSetup, id: WorkerID, activity: Activity) {
        self.setup = setup
        self.id = id
        machine = setup.makeMachine(id: id)
        pool = ThreadPool(threads: setup.threads, named: "orrery-worker", activity: activity)
    }

    var isAlive: Bool { life.withLock { alive } }

    /// The process dies: its data is gone and its executions stop waiting.
    func die() {
        life.withLock {
            alive = false
            life.broadcast()
        }
        store.withLock { $0 = [:] }
    }

    /// Spends the time until the monotonic `deadline` (ns) on an execution, sleeping or
    /// spinning the CPU; stops early if the process dies.
    func work(until deadline: Int64, spinning: Bool) {
        if spinning {
            var spins = 0
            while WallClock.now < deadline {
                spins &+= 1
                if spins % 4096 == 0, !isAlive { return }
            }
            return
        }
        life.withLock {
            while alive, WallClock.now < deadline { life.wait(until: deadline) }
        }
    }

    /// The value of a result held here.
    func value(of task: TaskID) -> (any Sendable)? { store.withLock { $0[task]?.value } }

    func stop() {
        die()
        pool.stop()
    }
}

/// What a worker needs to run a task besides the compute request: the body, and the keys of
/// the task and its inputs (for injected failures and missing inputs).
struct TaskWork {
    var key: String
    var body: TaskBody
    /// Its inputs in dependency order, with their keys.
    var inputs: [TaskID]
    var inputKeys: [String]
}

/// A result in a worker's memory: the body's value, its modelled size and, when outputs are
/// materialised, that many real bytes.
struct StoredResult: Sendable {
    var value: any Sendable
    var size: Int64
    var bytes: [UInt8]?

    /// The same result with its bytes in a fresh buffer, as a network copy would leave them.
    func copied() -> StoredResult {
        guard let bytes else { return self }
        var copy = self
        copy.bytes = [UInt8](unsafeUninitializedCapacity: bytes.count) { buffer, count in
            _ = buffer.initialize(from: bytes)
            count = bytes.count
        }
        return copy
    }
}
