import Cluster
@_spi(Locking) import Futures

/// The threads of one worker process of a thread-backed cluster: a pool for its executions,
/// and whether the process still lives (its executions stop waiting when it dies). Its state
/// machine and data are the cluster core's (``ClusterWorker``).
final class RealWorker: @unchecked Sendable {
    let pool: ThreadPool

    private let life = Monitor()
    // Guarded by `life`.
    private var alive = true

    init(setup: WorkerSetup, activity: Activity) {
        pool = ThreadPool(threads: setup.threads, named: "orrery-worker", activity: activity)
    }

    var isAlive: Bool { life.withLock { alive } }

    /// The process dies: its executions stop waiting.
    func die() {
        life.withLock {
            alive = false
            life.broadcast()
        }
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

    func stop() {
        die()
        pool.stop()
    }
}
