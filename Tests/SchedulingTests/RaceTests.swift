import Scheduling
import Testing

/// The known dask races (Semantics: Known races), each forced by delivering messages in the
/// order described there, through the real scheduler and real worker state machines.
@Suite struct RaceTests {
    /// Worker a was given four tasks of distinct keys and started one (the scheduler knows);
    /// b joins; a tick plans steals of the others.
    func stealingCluster() -> (MiniCluster, WorkerID, WorkerID) {
        let cluster = MiniCluster(policy: WorkStealingPolicy(interval: 1)) {
            $0.workerSaturation = .infinity
        }
        let a = cluster.addWorker("a")
        cluster.submit(
            (0..<4).map { KeyedSpec(key: "job\($0)x", estimatedDuration: 1_000_000_000) })
        for _ in 0..<4 { cluster.deliverToWorker(a) }
        cluster.deliverToScheduler(from: a)
        let b = cluster.addWorker("b")
        cluster.tick()
        return (cluster, a, b)
    }

    func key(_ cluster: MiniCluster, _ name: String) -> TaskID {
        cluster.scheduler.keys.id(of: TaskKey(name))!
    }

    /// R1 (dask#5370): a steal response that arrives after the task was released and
    /// dispatched again is recognised by its steal id and ignored.
    @Test func r1StaleStealResponse() throws {
        let (cluster, a, _) = stealingCluster()
        let requests = cluster.pendingToWorker(a).compactMap { event -> TaskID? in
            if case .stealRequest(let task, _) = event { return task }
            return nil
        }
        let stolen = try #require(requests.first)
        let name = cluster.scheduler.scheduler.key(of: stolen)
        // The client releases the task before a answers; then submits it again.
        cluster.client(
            .release(client: cluster.scheduler.client, tasks: cluster.scheduler.ids([name])))
        cluster.submit([KeyedSpec(key: name, estimatedDuration: 1_000_000_000)])
        #expect(cluster.scheduler.scheduler.state(of: stolen) == .processing)
        let worker = cluster.scheduler.scheduler.processingWorker(of: stolen)
        // a answers the old request now.
        while !cluster.pendingToWorker(a).isEmpty { cluster.deliverToWorker(a) }
        var notes: [Note] = []
        while !cluster.pendingToScheduler(from: a).isEmpty {
            cluster.deliverToScheduler(from: a)
            notes += cluster.scheduler.notes()
        }
        #expect(notes.contains(.stealAlreadyAborted))
        #expect(!notes.contains(.stealConfirmed))
        #expect(cluster.scheduler.scheduler.state(of: stolen) == .processing)
        #expect(cluster.scheduler.scheduler.processingWorker(of: stolen) == worker)
        cluster.runUntilQuiet()
        #expect(cluster.scheduler.scheduler.state(of: stolen) == .memory)
    }

    /// R3 (dask#3256): a finish from a worker that is no longer the task's worker is refused
    /// with free-keys; when the current worker dies the task is dispatched again.
    @Test func r3FinishFromANonCurrentWorker() throws {
        let (cluster, a, b) = stealingCluster()
        // a gives up whatever was asked; the confirmed steals move tasks to b.
        while !cluster.pendingToWorker(a).isEmpty { cluster.deliverToWorker(a) }
        while !cluster.pendingToScheduler(from: a).isEmpty { cluster.deliverToScheduler(from: a) }
        let moved = try #require(
            cluster.scheduler.scheduler.processing(on: b).first, "a steal was confirmed")
        // A worker with the old, non-transactional stealing would have run it anyway.
        cluster.scheduler.send(
            .taskFinished(moved, worker: a, run: RunID(1), outputSize: 1, duration: 1))
        #expect(cluster.scheduler.notes() == [.staleRun])
        #expect(cluster.scheduler.freedKeys(on: a) == [cluster.scheduler.scheduler.key(of: moved)])
        #expect(cluster.scheduler.scheduler.processingWorker(of: moved) == b)
        cluster.kill(b)
        #expect(cluster.scheduler.scheduler.processingWorker(of: moved) == a)
        cluster.runUntilQuiet()
        #expect(cluster.scheduler.scheduler.state(of: moved) == .memory)
    }

    /// R4 (dask PR #7463): a result from an earlier run, sent before the worker heard that
    /// the task was released, is refused; the new run's result is taken.
    @Test func r4StaleResultFromAnEarlierRun() {
        let cluster = MiniCluster()
        let a = cluster.addWorker("a")
        let b = cluster.addWorker("b")
        cluster.submit([KeyedSpec(key: "k", workers: ["a"])])
        let k = key(cluster, "k")
        cluster.deliverToWorker(a)  // a executes run 1
        // The client releases k: free-keys to a, still in flight.
        cluster.client(
            .release(client: cluster.scheduler.client, tasks: cluster.scheduler.ids(["k"])))
        cluster.finishExecution(k, on: a)  // a reports run 1 before the free-keys arrives
        cluster.submit([KeyedSpec(key: "k", workers: ["b"])])  // run 2 on b
        cluster.deliverToScheduler(from: a)  // started
        cluster.deliverToScheduler(from: a)  // finished, run 1
        #expect(cluster.scheduler.notes() == [.staleRun])
        #expect(cluster.scheduler.freedKeys(on: a) == ["k"])
        #expect(cluster.scheduler.scheduler.processingWorker(of: k) == b)
        cluster.runUntilQuiet()
        #expect(cluster.scheduler.scheduler.state(of: k) == .memory)
        #expect(cluster.scheduler.scheduler.replicas(of: k) == [b])
    }

    /// R4 variant: the new run goes to the worker whose execution of the old run was
    /// cancelled: it resumes that execution, reports the new run, and the scheduler takes it.
    @Test func r4ResumedExecutionReportsTheNewRun() {
        let cluster = MiniCluster()
        let a = cluster.addWorker("a")
        cluster.submit([KeyedSpec(key: "k")])
        let k = key(cluster, "k")
        cluster.deliverToWorker(a)
        cluster.client(
            .release(client: cluster.scheduler.client, tasks: cluster.scheduler.ids(["k"])))
        cluster.deliverToWorker(a)  // free-keys: cancelled
        #expect(cluster.workers[a.int]!.state(of: k) == .cancelled)
        cluster.submit([KeyedSpec(key: "k")])
        let run = cluster.scheduler.scheduler.currentRun(of: k)
        cluster.deliverToWorker(a)  // compute, run 2: resumed
        #expect(cluster.workers[a.int]!.state(of: k) == .executing)
        #expect(cluster.executions.count == 1, "the execution was not started twice")
        cluster.finishExecution(k, on: a)
        #expect(
            cluster.pendingToScheduler(from: a).contains(
                .taskFinished(k, worker: a, run: run, outputSize: 100, duration: 1_000_000)))
        cluster.runUntilQuiet()
        #expect(cluster.scheduler.scheduler.state(of: k) == .memory)
    }

    /// A compute request names the holders the scheduler knew when it sent it; when those are
    /// gone but a copy made since survives, the worker asks where the input lives now
    /// (request-refresh-who-has) instead of waiting in missing forever.
    @Test func anInputWhoseNamedHoldersAreGoneIsFoundAgain() {
        let cluster = MiniCluster()
        let a = cluster.addWorker("a")
        let b = cluster.addWorker("b")
        let c = cluster.addWorker("c")
        cluster.submit([
            KeyedSpec(key: "x", workers: ["a"]),
            KeyedSpec(key: "y", dependencies: ["x"], workers: ["b"]),
            KeyedSpec(key: "z", dependencies: ["x"], workers: ["c"]),
        ])
        let (x, y) = (key(cluster, "x"), key(cluster, "y"))
        cluster.deliverToWorker(a)
        cluster.finishExecution(x, on: a)
        cluster.deliverToScheduler(from: a)  // started
        cluster.deliverToScheduler(from: a)  // finished: y and z sent, naming a
        cluster.deliverToWorker(c)
        cluster.finishFetch(at: 0)  // c has a copy of x
        cluster.deliverToScheduler(from: c)  // add-keys x
        #expect(cluster.scheduler.scheduler.replicas(of: x) == [a, c])
        cluster.kill(a)
        #expect(cluster.scheduler.scheduler.state(of: x) == .memory)
        cluster.deliverToWorker(b)  // compute y, naming only a
        cluster.finishFetch(at: 0)  // fails: a is dead
        #expect(cluster.workers[b.int]!.state(of: x) == .missing)
        #expect(
            cluster.pendingToScheduler(from: b).contains(
                .requestRefreshWhoHas(worker: b, tasks: [x])))
        cluster.runUntilQuiet()
        #expect(cluster.scheduler.scheduler.state(of: y) == .memory)
        #expect(cluster.reports.filter { $0.task == x && $0.news == .finished }.count == 1)
    }

    /// R12: y's input x is lost while y runs (its holder dies before the scheduler hears that
    /// y's worker fetched a copy); y's finish arrives after y went back to waiting and is
    /// ignored; the worker drops y on free-keys; y is computed again after x.
    @Test func r12DependencyLostWhileItsDependentFinishes() {
        let cluster = MiniCluster()
        let a = cluster.addWorker("a")
        let b = cluster.addWorker("b")
        cluster.addWorker("c")
        cluster.submit(
            [
                KeyedSpec(key: "x", workers: ["b"], allowOtherWorkers: true),
                KeyedSpec(key: "y", dependencies: ["x"], workers: ["a"]),
            ], wanted: ["y"])
        let (x, y) = (key(cluster, "x"), key(cluster, "y"))
        cluster.deliverToWorker(b)
        cluster.finishExecution(x, on: b)
        cluster.deliverToScheduler(from: b)
        cluster.deliverToScheduler(from: b)
        cluster.deliverToWorker(a)  // compute y: fetch x from b
        cluster.finishFetch(at: 0)
        #expect(cluster.workers[a.int]!.state(of: y) == .executing)
        cluster.kill(b)
        #expect(cluster.scheduler.scheduler.state(of: y) == .waiting)
        cluster.finishExecution(y, on: a)  // before a hears of it
        cluster.deliverToScheduler(from: a)  // add-keys x: x is no longer in memory
        cluster.deliverToScheduler(from: a)  // started
        cluster.deliverToScheduler(from: a)  // finished
        #expect(cluster.scheduler.notes() == [.finishedWhileWaiting])
        #expect(cluster.scheduler.scheduler.state(of: y) == .waiting)
        cluster.runUntilQuiet()
        #expect(cluster.scheduler.scheduler.state(of: y) == .memory)
        let finishes = cluster.reports.filter { $0.task == y && $0.news == .finished }
        #expect(finishes.count == 1)
    }
}
