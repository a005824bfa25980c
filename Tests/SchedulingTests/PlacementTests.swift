import Scheduling
import Testing

/// Resources, restrictions, queuing of root-ish tasks.
@Suite struct PlacementTests {
    /// A GPU job waits in no-worker until a GPU worker joins, then runs there.
    @Test func resourcesWaitForAFittingWorker() {
        let h = Harness()
        h.addWorker("cpu")
        h.submit([KeyedSpec(key: "train", resources: ["GPU": 1])])
        #expect(h.state("train") == .noWorker)
        let gpu = h.addWorker("gpu", resources: ["GPU": 1])
        #expect(h.worker(of: "train") == gpu)
        #expect(h.computes()[0].resources.map(\.description) == ["GPU=1.0"])
    }

    @Test func restrictionsPinAndLooseRestrictionsFallBack() {
        let h = Harness()
        h.addWorker("a")
        h.submit([KeyedSpec(key: "pinned", workers: ["b"])])
        #expect(h.state("pinned") == .noWorker)
        h.submit([KeyedSpec(key: "loose", workers: ["b"], allowOtherWorkers: true)])
        #expect(h.state("loose") == .processing)
        let b = h.addWorker("b")
        #expect(h.worker(of: "pinned") == b)
    }

    /// Root-ish tasks (a large group without dependencies) take a worker's slots
    /// (ceil(1.1 × threads)) and queue the rest, in priority order.
    @Test func rootishTasksQueueBySaturation() {
        let h = Harness()
        h.addWorker("a", threads: 2)  // 3 slots
        h.submit((0..<10).map { KeyedSpec(key: "load-\($0)") })
        #expect(h.scheduler.isRootish(h.id("load-0")))
        #expect(h.scheduler.count(in: .processing) == 3)
        #expect(h.scheduler.count(in: .queued) == 7)
        #expect(h.computedKeys == ["load-0", "load-1", "load-2"])
        h.finish("load-1")
        #expect(h.computedKeys == ["load-3"])
        // A joining worker takes queued work at once.
        h.addWorker("b", threads: 1)
        #expect(h.computedKeys == ["load-4", "load-5"])
    }

    /// A policy that ranks, on a later update, tasks an earlier one queued: the queue hands
    /// them out in their new order (it keeps queued tasks by id and reads their priorities).
    @Test func rankingQueuedTasksReordersTheQueue() {
        final class Reranking: SchedulingPolicy {
            let name = "reranking"
            var ranks: [String: Int64] = [:]
            func chooseWorker(
                for task: TaskID, among candidates: [WorkerID], in scheduler: Scheduler
            )
                -> WorkerID
            { candidates[0] }
            func prioritize(_ tasks: [TaskID], in scheduler: Scheduler) {
                for task in 0..<scheduler.taskCount {
                    if let rank = ranks[scheduler.key(of: TaskID(task))] {
                        scheduler.setRank(rank, of: TaskID(task))
                    }
                }
            }
        }
        let policy = Reranking()
        let h = Harness(policy: policy)
        h.addWorker("a", threads: 1)  // 2 slots
        h.submit((0..<8).map { KeyedSpec(key: "load-\($0)") })
        #expect(h.computedKeys == ["load-0", "load-1"])
        #expect(h.scheduler.count(in: .queued) == 6)
        policy.ranks = ["load-6": -2, "load-4": -1, "load-2": 1]
        // Not root-ish: it takes the worker at once, over its slots.
        h.submit([KeyedSpec(key: "other")])
        #expect(h.computedKeys == ["other"])
        h.finish("other")
        for (done, next) in [
            ("load-0", "load-6"), ("load-1", "load-4"), ("load-6", "load-3"), ("load-4", "load-5"),
            ("load-3", "load-7"), ("load-5", "load-2"),
        ] {
            h.finish(done)
            #expect(h.computedKeys == [next], "after \(done)")
        }
    }

    /// A long queue that drains (its storage is remade to fit as it does) still hands out its
    /// tasks in priority order. Driven without the harness's checks after every event (they
    /// would take minutes on this many tasks); the invariants are checked at the end.
    @Test func aDrainingQueueKeepsItsOrder() {
        let scheduler = Scheduler(configuration: SchedulerConfiguration(), policy: LocalityPolicy())
        let count = 10_000
        var dispatched: [TaskID] = []
        func handle(_ event: SchedulerEvent) {
            for command in scheduler.handle(event, at: 0) {
                if case .compute(let request) = command { dispatched.append(request.task) }
            }
        }
        handle(.workerAdded(WorkerSpec(name: "a", threads: 1)))  // 2 slots
        let specs = (0..<count).map { TaskSpec(id: TaskID($0), key: "load-\($0)") }
        handle(.updateGraph(client: ClientID(0), tasks: specs, wanted: specs.map(\.id)))
        #expect(scheduler.count(in: .queued) == count - 2)
        var finished = 0
        while finished < dispatched.count {
            let task = dispatched[finished]
            handle(
                .taskFinished(
                    task, worker: scheduler.processingWorker(of: task)!,
                    run: scheduler.currentRun(of: task), outputSize: 100, duration: 1))
            finished += 1
        }
        #expect(dispatched.map { scheduler.key(of: $0) } == specs.map(\.key.string))
        #expect(scheduler.count(in: .memory) == count)
        #expect(scheduler.invariantViolations().isEmpty)
    }

    @Test func infiniteSaturationDisablesQueuing() {
        let h = Harness { $0.workerSaturation = .infinity }
        h.addWorker("a")
        h.submit((0..<10).map { KeyedSpec(key: "load-\($0)") })
        #expect(h.scheduler.count(in: .queued) == 0)
        #expect(h.scheduler.count(in: .processing) == 10)
    }

    /// With queuing off, a root-ish group goes to one worker for its share (the group's size
    /// over the cluster's threads, times the worker's threads), then to the best idle worker
    /// for the next share (dask's co-assignment): siblings land together. Choosing the least
    /// busy worker for each task, as with queuing on, would deal them out in turn.
    @Test func queuingOffCoAssignsARootishGroupShareByShare() {
        let h = Harness { $0.workerSaturation = .infinity }
        let a = h.addWorker("a")
        let b = h.addWorker("b", threads: 2)
        let c = h.addWorker("c")
        // 16 tasks on 4 threads: root-ish, in shares of 4 a thread.
        h.submit((0..<16).map { KeyedSpec(key: "load-\($0)") })
        #expect(h.scheduler.isRootish(h.id("load-0")))
        let placed = (0..<16).map { h.worker(of: "load-\($0)") }
        let expected: [WorkerID?] =
            Array(repeating: a, count: 4) + Array(repeating: b, count: 8)
            + Array(repeating: c, count: 4)
        #expect(placed == expected)
        #expect(h.scheduler.invariantViolations().isEmpty)
    }

    /// A group submitted again after its last task was placed starts afresh, from the best
    /// worker: the last task of a batch lets go of the group's worker, as dask's does.
    @Test func aCoAssignedGroupLetsGoOfItsWorkerWithItsLastTask() {
        let h = Harness { $0.workerSaturation = .infinity }
        let a = h.addWorker("a")
        let b = h.addWorker("b")
        // 5 tasks on 2 threads: root-ish, shares of 2; the last lands on a again.
        h.submit((0..<5).map { KeyedSpec(key: "load-\($0)") })
        #expect((0..<5).map { h.worker(of: "load-\($0)") } == [a, a, b, b, a])
        for index in 0..<5 { h.finish("load-\(index)") }
        // a took load-4 with a share of 2, one of it left; kept, it would take load-5. Let
        // go, the next task goes to the best worker: both idle, b holding fewer bytes.
        h.submit([KeyedSpec(key: "load-5"), KeyedSpec(key: "load-6")])
        #expect(h.worker(of: "load-5") == b)
        #expect(h.scheduler.invariantViolations().isEmpty)
    }

    @Test func smallGroupsAreNotRootish() {
        let h = Harness()
        h.addWorker("a", threads: 4)
        h.submit((0..<5).map { KeyedSpec(key: "load-\($0)") })
        #expect(!h.scheduler.isRootish(h.id("load-0")))
        #expect(h.scheduler.count(in: .processing) == 5)
    }

    /// A group whose tasks depend on each other counts itself among its dependencies, as
    /// dask's task groups do: a long chain is not root-ish, and its first link, free of inputs,
    /// goes out at once rather than to the queue; a group of independent tasks that size is.
    @Test func aGroupDependingOnItselfIsNotRootish() {
        let h = Harness()
        h.addWorker("a")
        h.submit(
            (0..<10).map {
                KeyedSpec(key: "link-\($0)", dependencies: $0 == 0 ? [] : ["link-\($0 - 1)"])
            }
                + (0..<10).map { KeyedSpec(key: "load-\($0)") })
        #expect(!h.scheduler.isRootish(h.id("link-0")))
        #expect(h.state("link-0") == .processing)
        #expect(h.scheduler.isRootish(h.id("load-0")))
        // The worker's two slots (one thread × 1.1, rounded up) hold link-0 and one load.
        #expect(h.scheduler.count(in: .queued) == 9)
    }
}

/// dask's `heartbeat_worker`: each heartbeat moves the scheduler's bandwidth one share in as
/// many as there are live workers toward the worker's estimate.
@Suite struct HeartbeatTests {
    @Test func heartbeatsBlendIntoTheSchedulersBandwidth() {
        let h = Harness()
        let a = h.addWorker("a")
        let b = h.addWorker("b")
        h.send(.heartbeat(a, bandwidth: 50_000_000))
        #expect(h.scheduler.bandwidth == 75_000_000)
        h.send(.heartbeat(b, bandwidth: 75_000_000))
        #expect(h.scheduler.bandwidth == 75_000_000)
        // A dead worker's late heartbeat is ignored; the one worker left is every share.
        h.send(.workerRemoved(b, expected: true))
        h.send(.heartbeat(b, bandwidth: 1))
        #expect(h.scheduler.bandwidth == 75_000_000)
        h.send(.heartbeat(a, bandwidth: 10_000_000))
        #expect(h.scheduler.bandwidth == 10_000_000)
    }

    /// Placement weighs a transfer at the learned figure: two heartbeats of 10 MB/s take it
    /// from 100 to 55 to 32.5 MB/s, at which 1 MB takes 30.77 ms.
    @Test func transfersAreWeighedAtTheLearnedFigure() {
        let h = Harness()
        let a = h.addWorker("a")
        let b = h.addWorker("b")
        h.submit([KeyedSpec(key: "x", workers: ["a"])])
        h.finish("x", size: 1_000_000)
        h.submit([KeyedSpec(key: "y", dependencies: ["x"], workers: ["a"])])
        #expect(h.scheduler.transferCost(of: h.id("y"), to: b) == 10_000_000)
        h.send(.heartbeat(a, bandwidth: 10_000_000))
        h.send(.heartbeat(b, bandwidth: 10_000_000))
        #expect(h.scheduler.transferCost(of: h.id("y"), to: b) == 30_769_231)
    }
}
