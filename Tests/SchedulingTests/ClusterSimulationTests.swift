import Scheduling
import Testing

/// One scheduler and three workers (real state machines both) run a 1,000-task graph while
/// messages and completions arrive in a seeded random order, with steals, cancels, releases
/// and worker deaths; every machine's invariants hold after every message, and in the end
/// every key is in memory, erred or forgotten and no worker has anything left to do.
@Suite struct ClusterSimulationTests {
    /// With the memory manager on (due at every tick here, as balancing is), its runs drop
    /// replicas between the other events too.
    @Test(arguments: [UInt64(1), 2, 3, 4], [false, true])
    func thousandTasksUnderRandomFaults(seed: UInt64, memoryManager: Bool) {
        var random = SeededGenerator(seed: seed)
        func pick(_ bound: Int) -> Int { Int(random.next() % UInt64(bound)) }
        let cluster = MiniCluster(policy: WorkStealingPolicy(interval: 1)) {
            $0.allowedFailures = 6
            $0.memoryManagerInterval = memoryManager ? 1 : nil
        }
        var names = 0
        func newWorker() {
            cluster.addWorker("w\(names)", threads: 1 + names % 2)
            names += 1
        }
        for _ in 0..<3 { newWorker() }

        var keys: [String] = []
        var next = 0
        func submitBatch() {
            let specs = (0..<50).map { _ -> KeyedSpec in
                defer { next += 1 }
                let dependencies =
                    keys.isEmpty ? [] : (0..<pick(3)).map { _ in keys[pick(keys.count)] }
                return KeyedSpec(
                    key: "t\(next)-\(["a", "b", "c"][pick(3)])", dependencies: dependencies,
                    priority: pick(3), retries: pick(3))
            }
            keys += specs.map(\.key)
            cluster.submit(specs)
        }

        var steps = 0
        while next < 1_000 || steps < 6_000 {
            steps += 1
            let live = cluster.liveWorkers
            switch pick(1_000) {
            case 0..<25 where next < 1_000:
                submitBatch()
            case 25..<60 where cluster.wakeRequested:
                cluster.tick()
            case 60..<63 where live.count > 2:
                cluster.kill(live[pick(live.count)])
            case 63..<66 where live.count < 5:
                newWorker()
            case 66..<76 where !keys.isEmpty:
                cluster.client(
                    .cancel(
                        client: cluster.scheduler.client,
                        tasks: cluster.scheduler.ids([keys[pick(keys.count)]]),
                        force: pick(2) == 0))
            case 76..<86 where !keys.isEmpty:
                cluster.client(
                    .release(
                        client: cluster.scheduler.client,
                        tasks: cluster.scheduler.ids([keys[pick(keys.count)]])))
            case 86..<400:
                cluster.deliverToWorker(live[pick(live.count)])
            case 400..<700:
                cluster.deliverToScheduler(from: WorkerID(pick(cluster.workers.count)))
            case 700..<900 where !cluster.executions.isEmpty:
                let (worker, task) = cluster.executions[pick(cluster.executions.count)]
                cluster.finishExecution(task, on: worker, succeeding: pick(100) >= 3)
            case 900..<1_000 where !cluster.fetches.isEmpty:
                cluster.finishFetch(at: pick(cluster.fetches.count))
            default:
                break
            }
        }
        cluster.runUntilQuiet()

        let scheduler = cluster.scheduler.scheduler
        // The run did what it was meant to: most work finished, and races happened.
        let notes = Set(cluster.scheduler.notes(in: cluster.scheduler.log))
        #expect(scheduler.count(in: .memory) > 250, "seed \(seed): a degenerate run")
        #expect(notes.isSuperset(of: [.staleRun, .fromRemovedWorker]))
        if memoryManager {
            // Nothing waits any more: one more run leaves one replica of every result.
            while cluster.wakeRequested {
                cluster.tick()
                cluster.runUntilQuiet()
            }
            let extra = (0..<scheduler.taskCount).filter {
                scheduler.replicas(of: TaskID($0)).count > 1
            }
            #expect(extra.isEmpty, "seed \(seed): results still held twice")
        } else {
            #expect(notes.contains(.stealAlreadyAborted))
        }
        for stuck in [SchedulerTaskState.waiting, .queued, .noWorker, .processing, .released] {
            let left = (0..<scheduler.taskCount).filter {
                scheduler.state(of: TaskID($0)) == stuck
                    && !scheduler.wanters(of: TaskID($0)).isEmpty
            }
            #expect(left.isEmpty, "seed \(seed): wanted tasks left \(stuck)")
        }
        for stuck in [SchedulerTaskState.waiting, .queued, .noWorker, .processing] {
            #expect(scheduler.count(in: stuck) == 0, "seed \(seed): tasks left \(stuck)")
        }
        for worker in cluster.workers.compactMap({ $0 }) {
            #expect(worker.executingCount == 0 && worker.flightCount == 0)
        }
        #expect(cluster.executions.isEmpty && cluster.fetches.isEmpty)
    }
}
