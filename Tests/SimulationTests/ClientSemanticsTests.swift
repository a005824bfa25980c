import Cluster
import Futures
import Scheduling
import Simulation
import Testing

/// The concurrent.futures and dask semantics, end to end through a simulated cluster.
@Suite struct ClientSemanticsTests {
    @Test func submitAndResult() throws {
        let (simulation, client) = cluster()
        let future = client.submit("inc", 41, options: taking(second)) { $0 + 1 }
        #expect(future.status == .pending)
        #expect(try future.result() == 42)
        #expect(simulation.now == second)
        #expect(future.key.hasPrefix("inc-") && future.key.count == 4 + 32)
        #expect(simulation.failure == nil)
    }

    @Test func dependencyChainsPassValues() throws {
        let (_, client) = cluster()
        let a = client.submit("inc", 1) { $0 + 1 }
        let b = client.submit("double", a) { $0 * 2 }
        let c = client.submit("add", a, b) { $0 + $1 }
        #expect(try c.result() == 6)
    }

    /// Pure keys: the same call is one task, run once; distinct futures over one state.
    @Test func pureKeysDeduplicate() throws {
        let (simulation, client) = cluster()
        let first = client.submit("inc", 1, options: taking(second)) { $0 + 1 }
        let again = client.submit("inc", 1, options: taking(second)) { $0 + 1 }
        let other = client.submit("inc", 2, options: taking(second)) { $0 + 1 }
        #expect(first.key == again.key && first !== again && first.key != other.key)
        #expect(try client.gather([first, again, other]) == [2, 2, 3])
        #expect(simulation.starts(of: first.key).count == 1)
    }

    @Test func impureKeysAreFreshAndReproducible() throws {
        func keys(seed: UInt64) -> [String] {
            let (_, client) = cluster(seed: seed)
            return (0..<2).map { _ in
                client.submit("draw", options: TaskOptions(pure: false)) { 7 }.key
            }
        }
        #expect(keys(seed: 1)[0] != keys(seed: 1)[1])
        #expect(keys(seed: 1) == keys(seed: 1))
        #expect(keys(seed: 1) != keys(seed: 2))
    }

    /// A dependency's error reaches its dependents, as the same error object, without them
    /// running.
    @Test func errorsPropagate() throws {
        let (simulation, client) = cluster()
        let failing = client.submit("fail", 1) { (_: Int) -> Int in throw Boom(code: 7) }
        let dependent = client.submit("inc", failing) { $0 + 1 }
        #expect(throws: Boom(code: 7)) { try dependent.result() }
        #expect(try failing.exception() as? Boom == Boom(code: 7))
        #expect(simulation.starts(of: dependent.key).isEmpty)
    }

    @Test func retriesRerunATaskThatRaised() throws {
        let (simulation, client) = cluster(
            faults: [.failTask(key: "flaky", attempts: [1, 2], error: "ValueError")])
        let future = client.submit("flaky", options: taking(second, retries: 2, key: "flaky")) { 5 }
        #expect(try future.result() == 5)
        #expect(simulation.starts(of: "flaky").count == 3)
        #expect(simulation.now == 3 * second)
    }

    @Test func retriesRunOut() {
        let (_, client) = cluster(faults: [
            .failTask(key: "flaky", attempts: [1, 2], error: "ValueError")
        ])
        let future = client.submit("flaky", options: taking(second, retries: 1, key: "flaky")) { 5 }
        let error = #expect(throws: TaskFailure.self) { try future.result() }
        #expect(error?.kind == "ValueError")
    }

    /// A task whose workers keep dying errs with KilledWorker after allowed-failures deaths.
    @Test func killedWorkerAfterRepeatedDeaths() {
        let (_, client) = cluster(
            [WorkerSetup(name: "a")],
            faults: [
                .kill(worker: "a", at: 1 * second),
                .add(WorkerSetup(name: "b"), at: 2 * second),
                .kill(worker: "b", at: 3 * second),
                .add(WorkerSetup(name: "c"), at: 4 * second),
            ]
        ) { $0.scheduler.allowedFailures = 1 }
        let future = client.submit("long", options: taking(10 * second)) { 1 }
        let error = #expect(throws: TaskFailure.self) { try future.result() }
        #expect(error?.kind == "KilledWorker")
    }

    /// A worker started again under its name before its death was noticed joins when it is
    /// (it used to wait for that moment over and over, at that moment).
    @Test func aWorkerRestartedBeforeItsDeathIsNoticedJoinsWhenItIs() throws {
        let (simulation, client) = cluster(
            [WorkerSetup(name: "a")],
            faults: [
                .kill(worker: "a", at: second / 2),
                .add(WorkerSetup(name: "a"), at: second / 2 + millisecond),
            ]
        ) { $0.deathDetectionDelay = 100 * millisecond }
        let future = client.submit("job", options: taking(second)) { 1 }
        #expect(try future.result() == 1)
        #expect(simulation.starts(of: future.key) == [0, second / 2 + 100 * millisecond])
    }

    @Test func aDeadWorkersTaskRunsElsewhere() throws {
        let (simulation, client) = cluster(faults: [.kill(worker: "a", at: second / 2)]) {
            $0.deathDetectionDelay = 100 * millisecond
        }
        let future = client.submit("job", options: taking(second, workers: ["a"]).allowingOthers())
        { 1 }
        #expect(try future.result() == 1)
        #expect(simulation.starts(of: future.key) == [0, second / 2 + 100 * millisecond])
    }

    /// A plain cancel cannot stop a running task; a forced one can.
    @Test func forcedCancelOfARunningTask() throws {
        let (simulation, client) = cluster()
        let future = client.submit("long", options: taking(10 * second)) { 1 }
        simulation.run(until: second)
        #expect(future.isRunning)
        #expect(!future.cancel())
        #expect(future.cancel(force: true))
        #expect(future.isCancelled)
        #expect(throws: CancelledError.self) { try future.result() }
        simulation.runToQuiescence()
        #expect(simulation.failure == nil)
        #expect(
            simulation.scheduler.state(of: simulation.scheduler.task(forKey: future.key)!)
                == .forgotten)
    }

    @Test func cancelBeforeStart() throws {
        let (simulation, client) = cluster([WorkerSetup(name: "a")])
        let blocker = client.submit("blocker", options: taking(second)) { 0 }
        let queued = client.submit("queued", options: taking(second)) { 1 }
        simulation.run(until: 0)
        #expect(queued.cancel())
        #expect(try blocker.result() == 0)
        simulation.runToQuiescence()
        #expect(simulation.starts(of: queued.key).isEmpty)
    }

    /// A cancel that reaches the scheduler after the task finished changes nothing there and
    /// breaks nothing: the client's future stays cancelled.
    @Test func cancelThatArrivesAfterCompletion() {
        let (simulation, client) = cluster { $0.clientLatency = 10 * millisecond }
        let future = client.submit("job", options: taking(second)) { 1 }
        simulation.run(until: second + 5 * millisecond)
        #expect(future.isRunning, "the finish is still on its way to the client")
        #expect(future.cancel(force: true))
        simulation.runToQuiescence()
        #expect(future.isCancelled)
        #expect(simulation.failure == nil)
    }

    /// R8: cancel, then submit the same key again at once: the new future gets its result.
    @Test func cancelThenResubmitAtOnce() throws {
        let (simulation, client) = cluster { $0.clientLatency = 5 * millisecond }
        let first = client.submit("inc", 200, options: taking(second)) { $0 + 1 }
        simulation.run(until: 10 * millisecond)
        #expect(first.cancel(force: true))
        let again = client.submit("inc", 200, options: taking(second)) { $0 + 1 }
        #expect(first.key == again.key)
        #expect(try again.result() == 201)
        #expect(first.isCancelled)
    }

    @Test func resourcesWaitForAWorkerThatHasThem() throws {
        let (simulation, client) = cluster(
            faults: [.add(WorkerSetup(name: "gpu", resources: ["GPU": 1]), at: 5 * second)])
        let future = client.submit("train", options: taking(second, resources: ["GPU": 1])) { 1 }
        #expect(try future.result() == 1)
        #expect(simulation.starts(of: future.key) == [5 * second])
    }

    /// Dropping the last future of a key releases it on the scheduler.
    @Test func droppingTheLastReferenceReleases() {
        let (simulation, client) = cluster()
        var future: ClientFuture<Int>? = client.submit("job", options: taking(second)) { 1 }
        let key = future!.key
        simulation.run(until: 2 * second)
        future = nil
        simulation.runToQuiescence()
        #expect(
            simulation.scheduler.state(of: simulation.scheduler.task(forKey: key)!) == .forgotten)
    }

    /// A copy of a result a worker fetched is a replica: freed with the task, so dropping the
    /// futures leaves no data on any worker.
    @Test func droppingTheFuturesFreesFetchedCopies() throws {
        let (simulation, client) = cluster()
        var data: ClientFuture<Int>? = client.submit(
            "data", options: taking(0, workers: ["a"])
        ) { 1 }
        var use: ClientFuture<Int>? = client.submit(
            "use", data!, options: taking(0, workers: ["b"])
        ) { $0 + 1 }
        #expect(try use!.result() == 2)
        let task = simulation.scheduler.task(forKey: data!.key)!
        let b = simulation.scheduler.worker(named: "b")!
        #expect(simulation.scheduler.replicas(of: task).contains(b))
        data = nil
        use = nil
        #expect(simulation.runToQuiescence() == nil)
        #expect(simulation.scheduler.state(of: task) == .forgotten)
        #expect(
            simulation.trace.records.contains { record in
                record.kind == .workerTransition && record.task == task.index
                    && record.worker == Int32(b.index)
                    && record.from == WorkerTaskState.memory.rawValue
                    && record.to == WorkerTaskState.released.rawValue
            })
    }

    /// Futures dropped at one instant are released in one message, which frees every key; a
    /// release sent after another message is a message of its own.
    @Test func releasesMadeAtOnceTravelTogether() {
        let (simulation, client) = cluster()
        var futures = client.map("job", Array(0..<50), options: taking(second)) { $0 }
        var last: ClientFuture<Int>? = client.submit("last", options: taking(second)) { 0 }
        simulation.runToQuiescence()
        let keys = futures.map(\.key) + [last!.key]
        func releasesSent() -> Int {
            simulation.trace.records.filter {
                $0.kind == .clientSent && $0.from == MessageKind.release.rawValue
            }.count
        }
        futures = []
        #expect(releasesSent() == 1)
        let more = client.submit("more", options: taking(second)) { 0 }
        last = nil
        #expect(releasesSent() == 2)
        simulation.runToQuiescence()
        #expect(more.status == .finished)
        for key in keys {
            #expect(
                simulation.scheduler.state(of: simulation.scheduler.task(forKey: key)!)
                    == .forgotten)
        }
    }

    @Test func mapGatherWaitAndAsCompleted() throws {
        let (simulation, client) = cluster()
        let futures = client.map("square", [3, 1, 2], options: taking(second)) { $0 * $0 }
        #expect(try client.gather(futures) == [9, 1, 4])
        let slow = client.submit("slow", options: taking(5 * second)) { 0 }
        let fast = client.submit("fast", options: taking(1 * second)) { 0 }
        let start = simulation.now
        let done = wait([slow, fast], timeout: .seconds(2), returnWhen: .firstCompleted)
        #expect(done.done == [fast] && done.notDone == [slow])
        #expect(simulation.now == start + second)
        let order = try asCompleted([slow, fast]).drain()
        #expect(order == [fast, slow])
    }

    @Test func gatherSkipsErrors() throws {
        let (_, client) = cluster()
        let good = client.submit("good", 1) { $0 }
        let bad = client.submit("bad", 2) { (_: Int) -> Int in throw Boom() }
        #expect(try client.gather([good, bad, good], errors: .skip) == [1, 1])
        #expect(throws: Boom()) { try client.gather([good, bad]) }
    }

    /// Timeouts are virtual: waiting half a second for a one-second task moves the clock by
    /// half a second, not the wall clock.
    @Test func timeoutsAreVirtual() throws {
        let (simulation, client) = cluster()
        let future = client.submit("job", options: taking(second)) { 1 }
        #expect(throws: TimeoutError.self) { try future.result(timeout: .milliseconds(500)) }
        #expect(simulation.now == second / 2)
        #expect(try future.result(timeout: .seconds(1)) == 1)
    }

    @Test func asyncForms() async throws {
        let (_, client) = cluster()
        let futures = client.map("inc", [1, 2], options: taking(second)) { $0 + 1 }
        #expect(try futures[0].result() == 2)
        #expect(try await futures[1].value == 3)
        #expect(try await client.gather(futures) == [2, 3])
    }

    /// The client holds its cluster, not the other way round: dropping both frees both, and
    /// with them every result they kept.
    @Test func droppedClientAndClusterAreFreed() throws {
        weak var droppedCluster: SimulatedCluster?
        weak var droppedClient: Client?
        do {
            let (simulation, client) = cluster()
            droppedCluster = simulation
            droppedClient = client
            #expect(try client.submit("inc", 1) { $0 + 1 }.result() == 2)
        }
        #expect(droppedCluster == nil)
        #expect(droppedClient == nil)
    }

    /// A future keeps its client (and so its cluster's reports) alive: a client nobody names
    /// any more still delivers the results of the futures it handed out.
    @Test func aFutureKeepsItsClient() throws {
        let simulation = SimulatedCluster(
            configuration: SimulationConfiguration(seed: 1),
            workers: [WorkerSetup(name: "a")])
        let future = Client(simulation).submit("inc", 41, options: taking(second)) { $0 + 1 }
        #expect(try future.result() == 42)
    }
}

extension TaskOptions {
    func allowingOthers() -> TaskOptions {
        var options = self
        options.allowOtherWorkers = true
        return options
    }
}

extension AsCompleted {
    func drain() throws -> [Element] {
        var yielded: [Element] = []
        while let next = try next() { yielded.append(next) }
        return yielded
    }
}
