import Cluster
import Dispatch
import Futures
import Scheduling
import Testing

/// The concurrent.futures and dask semantics, end to end through a client, each test run on
/// a simulated cluster and on real threads.
@Suite struct ClientSemanticsTests {
    @Test(arguments: Backend.allCases) func submitAndResult(_ backend: Backend) throws {
        let h = Harness(backend)
        let future = h.client.submit("inc", 41, options: taking(second)) { $0 + 1 }
        #expect(future.status == .pending)
        #expect(try future.result(timeout: h.patience) == 42)
        #expect(future.key.hasPrefix("inc-") && future.key.count == 4 + 32)
        h.finish()
        #expect(h.starts(of: future.key).count == 1)
    }

    @Test(arguments: Backend.allCases) func dependencyChainsPassValues(_ backend: Backend) throws {
        let h = Harness(backend)
        let a = h.client.submit("inc", 1) { $0 + 1 }
        let b = h.client.submit("double", a) { $0 * 2 }
        let c = h.client.submit("add", a, b) { $0 + $1 }
        #expect(try c.result(timeout: h.patience) == 6)
        h.finish()
    }

    /// Pure keys: the same call is one task, run once; distinct futures over one state.
    @Test(arguments: Backend.allCases) func pureKeysDeduplicate(_ backend: Backend) throws {
        let h = Harness(backend)
        let first = h.client.submit("inc", 1, options: taking(second)) { $0 + 1 }
        let again = h.client.submit("inc", 1, options: taking(second)) { $0 + 1 }
        let other = h.client.submit("inc", 2, options: taking(second)) { $0 + 1 }
        #expect(first.key == again.key && first !== again && first.key != other.key)
        #expect(try h.client.gather([first, again, other], timeout: h.patience) == [2, 2, 3])
        h.finish()
        #expect(h.starts(of: first.key).count == 1)
    }

    /// A map whose items repeat one another or keys already submitted sends the new keys
    /// only, each with its own body, and every item gets its value.
    @Test(arguments: Backend.allCases) func aMapSendsOnlyItsNewKeys(_ backend: Backend) throws {
        let h = Harness(backend)
        let known = h.client.submit("inc", 1, options: taking(second)) { $0 + 1 }
        let mapped = h.client.map("inc", [1, 2, 2, 3], options: taking(second)) { $0 + 1 }
        #expect(mapped[0].key == known.key && mapped[1].key == mapped[2].key)
        #expect(try h.client.gather(mapped, timeout: h.patience) == [2, 3, 3, 4])
        h.finish()
        for future in [known, mapped[1], mapped[3]] {
            #expect(h.starts(of: future.key).count == 1)
        }
    }

    /// Impure keys come from the seeded stream: fresh each call, the same for one seed.
    @Test(arguments: Backend.allCases) func impureKeysAreFreshAndReproducible(_ backend: Backend) {
        func keys(seed: UInt64) -> [String] {
            let h = Harness(backend, seed: seed)
            defer { h.finish() }
            return (0..<2).map { _ in
                h.client.submit("draw", options: TaskOptions(pure: false)) { 7 }.key
            }
        }
        #expect(keys(seed: 1)[0] != keys(seed: 1)[1])
        #expect(keys(seed: 1) == keys(seed: 1))
        #expect(keys(seed: 1) != keys(seed: 2))
    }

    /// A dependency's error reaches its dependents, as the same error object, without them
    /// running.
    @Test(arguments: Backend.allCases) func errorsPropagate(_ backend: Backend) throws {
        let h = Harness(backend)
        let failing = h.client.submit("fail", 1) { (_: Int) -> Int in throw Boom(code: 7) }
        let dependent = h.client.submit("inc", failing) { $0 + 1 }
        #expect(throws: Boom(code: 7)) { try dependent.result(timeout: h.patience) }
        #expect(try failing.exception() as? Boom == Boom(code: 7))
        h.finish()
        #expect(h.starts(of: dependent.key).isEmpty)
    }

    @Test(arguments: Backend.allCases) func retriesRerunATaskThatRaised(_ backend: Backend) throws {
        let h = Harness(
            backend, faults: [.failTask(key: "flaky", attempts: [1, 2], error: "ValueError")])
        let future = h.client.submit(
            "flaky", options: taking(second, retries: 2, key: "flaky")
        ) { 5 }
        #expect(try future.result(timeout: h.patience) == 5)
        h.finish()
        #expect(h.starts(of: "flaky").count == 3)
    }

    @Test(arguments: Backend.allCases) func retriesRunOut(_ backend: Backend) {
        let h = Harness(
            backend, faults: [.failTask(key: "flaky", attempts: [1, 2], error: "ValueError")])
        let future = h.client.submit(
            "flaky", options: taking(second, retries: 1, key: "flaky")
        ) { 5 }
        let error = #expect(throws: TaskFailure.self) { try future.result(timeout: h.patience) }
        #expect(error?.kind == "ValueError")
        h.finish()
    }

    /// A task whose workers keep dying errs with KilledWorker after allowed-failures deaths.
    @Test(arguments: Backend.allCases) func killedWorkerAfterRepeatedDeaths(_ backend: Backend) {
        let h = Harness(
            backend, workers: [WorkerSetup(name: "a")],
            faults: [
                .kill(worker: "a", at: 1 * second),
                .add(WorkerSetup(name: "b"), at: 2 * second),
                .kill(worker: "b", at: 3 * second),
                .add(WorkerSetup(name: "c"), at: 4 * second),
            ]
        ) { $0.scheduler.allowedFailures = 1 }
        let future = h.client.submit("long", options: taking(10 * second)) { 1 }
        let error = #expect(throws: TaskFailure.self) { try future.result(timeout: h.patience) }
        #expect(error?.kind == "KilledWorker")
        h.finish()
    }

    /// A task on a worker that dies runs again elsewhere once the death is noticed.
    @Test(arguments: Backend.allCases) func aDeadWorkersTaskRunsElsewhere(_ backend: Backend) throws
    {
        // On threads, half a second of wall clock before the kill: time enough to start.
        let h = Harness(backend, faults: [.kill(worker: "a", at: 50 * second)]) {
            $0.deathDetectionDelay = 100 * millisecond
        }
        let future = h.client.submit(
            "job", options: taking(100 * second, workers: ["a"], allowOthers: true)
        ) { 1 }
        #expect(try future.result(timeout: h.patience) == 1)
        h.finish()
        let starts = h.starts(of: future.key)
        #expect(starts.count == 2)
        #expect(starts.first! < 50 * second && starts.last! >= 50 * second + 100 * millisecond)
    }

    /// A plain cancel cannot stop a running task; a forced one can.
    @Test(arguments: Backend.allCases) func forcedCancelOfARunningTask(_ backend: Backend) throws {
        let h = Harness(backend)
        let future = h.client.submit("long", options: taking(100 * second)) { 1 }
        h.eventually { future.isRunning }
        #expect(!future.cancel())
        #expect(future.cancel(force: true))
        #expect(future.isCancelled)
        #expect(throws: CancelledError.self) { try future.result() }
        h.finish()
        #expect(h.isForgotten(future.key))
    }

    @Test(arguments: Backend.allCases) func cancelBeforeStart(_ backend: Backend) throws {
        let h = Harness(backend, workers: [WorkerSetup(name: "a")])
        let blocker = h.client.submit("blocker", options: taking(second)) { 0 }
        let queued = h.client.submit("queued", options: taking(second)) { 1 }
        #expect(queued.cancel())
        #expect(try blocker.result(timeout: h.patience) == 0)
        h.finish()
        #expect(h.starts(of: queued.key).isEmpty)
    }

    /// R8: cancel, then submit the same key again at once: the new future gets its result.
    @Test(arguments: Backend.allCases) func cancelThenResubmitAtOnce(_ backend: Backend) throws {
        let h = Harness(backend) { $0.clientLatency = 5 * millisecond }
        let first = h.client.submit("inc", 200, options: taking(second)) { $0 + 1 }
        #expect(first.cancel(force: true))
        let again = h.client.submit("inc", 200, options: taking(second)) { $0 + 1 }
        #expect(first.key == again.key)
        #expect(try again.result(timeout: h.patience) == 201)
        #expect(first.isCancelled)
        h.finish()
    }

    @Test(arguments: Backend.allCases) func resourcesWaitForAWorkerThatHasThem(
        _ backend: Backend
    ) throws {
        let h = Harness(
            backend,
            faults: [.add(WorkerSetup(name: "gpu", resources: ["GPU": 1]), at: 5 * second)])
        let future = h.client.submit(
            "train", options: taking(second, resources: ["GPU": 1])
        ) { 1 }
        #expect(try future.result(timeout: h.patience) == 1)
        h.finish()
        let starts = h.starts(of: future.key)
        #expect(starts.count == 1 && starts.allSatisfy { $0 >= 5 * second })
    }

    /// Dropping the last future of a key releases it on the scheduler.
    @Test(arguments: Backend.allCases) func droppingTheLastReferenceReleases(
        _ backend: Backend
    ) throws {
        let h = Harness(backend)
        var future: ClientFuture<Int>? = h.client.submit("job", options: taking(second)) { 1 }
        let key = future!.key
        #expect(try future!.result(timeout: h.patience) == 1)
        future = nil
        h.finish()
        #expect(h.isForgotten(key))
    }

    /// A key is released when its last future goes, and only then: not when one of two
    /// futures of it is dropped, nor when a future of the key's cancelled state is dropped
    /// after the key was submitted again.
    @Test(arguments: Backend.allCases) func onlyTheLastFutureOfTheKeysStateReleasesIt(
        _ backend: Backend
    ) throws {
        let h = Harness(backend)
        var first: ClientFuture<Int>? = h.client.submit("inc", 1, options: taking(second)) {
            $0 + 1
        }
        #expect(first!.cancel(force: true))
        let again = h.client.submit("inc", 1, options: taking(second)) { $0 + 1 }
        let twin = h.client.submit("inc", 1, options: taking(second)) { $0 + 1 }
        let key = again.key
        // The twin goes right after the first.
        withExtendedLifetime(twin) { first = nil }
        #expect(try again.result(timeout: h.patience) == 2)
        h.finish()
        #expect(!h.isForgotten(key))
        #expect(h.client.unsettledTasks.isEmpty)
        withExtendedLifetime(again) {}
    }

    /// A copy of a result a worker fetched is a replica: freed with the task, so dropping the
    /// futures leaves no data on any worker.
    @Test(arguments: Backend.allCases) func droppingTheFuturesFreesFetchedCopies(
        _ backend: Backend
    ) throws {
        let h = Harness(backend)
        var data: ClientFuture<Int>? = h.client.submit(
            "data", options: taking(0, workers: ["a"])
        ) { 1 }
        var use: ClientFuture<Int>? = h.client.submit(
            "use", data!, options: taking(0, workers: ["b"])
        ) { $0 + 1 }
        #expect(try use!.result(timeout: h.patience) == 2)
        let key = data!.key
        data = nil
        use = nil
        h.finish()
        let task = h.backend.taskKeys.id(of: key)!
        let b = h.scheduler.worker(named: "b")!
        #expect(h.scheduler.state(of: task) == .forgotten)
        #expect(
            h.backend.traceRecords.contains { record in
                record.kind == .workerTransition && record.task == task.index
                    && record.worker == Int32(b.index)
                    && record.from == WorkerTaskState.memory.rawValue
                    && record.to == WorkerTaskState.released.rawValue
            })
    }

    /// A key released and submitted again with another body runs the new body.
    @Test(arguments: Backend.allCases) func aKeySubmittedAgainRunsItsNewBody(
        _ backend: Backend
    ) throws {
        let h = Harness(backend)
        var first: ClientFuture<Int>? = h.client.submit(
            "job", options: taking(0, key: "k")
        ) { 1 }
        #expect(try first!.result(timeout: h.patience) == 1)
        first = nil
        let second = h.client.submit("job", options: taking(0, key: "k")) { 2 }
        #expect(try second.result(timeout: h.patience) == 2)
        h.finish()
    }

    /// Scattered values are in a worker's memory when the call returns, feed tasks as their
    /// values (copied, as real bytes on threads, to the worker that needs them), and are
    /// never computed.
    @Test(arguments: Backend.allCases) func scatteredValuesFeedTasks(_ backend: Backend) throws {
        let h = Harness(backend)
        let data = h.client.scatter(
            [[1, 2, 3], [4, 5]], size: 1_000, workers: ["a"], timeout: h.patience)
        #expect(data.map(\.status) == [.finished, .finished])
        let total = h.client.submit(
            "sum", data[0], data[1], options: taking(0, workers: ["b"])
        ) {
            $0.reduce(0, +) + $1.reduce(0, +)
        }
        #expect(try total.result(timeout: h.patience) == 15)
        let again = h.client.scatter([[1, 2, 3], [4, 5]], timeout: h.patience)
        #expect(again.map(\.key) == data.map(\.key))
        h.finish()
        #expect(h.starts(of: data[0].key).isEmpty)
    }

    /// A key scattered, released and scattered again at once is a new generation: the old
    /// one's release does not reach the new data, which feeds a task.
    @Test(arguments: Backend.allCases) func aKeyScatteredAgainAfterItsRelease(
        _ backend: Backend
    ) throws {
        let h = Harness(backend)
        var first: [ClientFuture<Int>]? = h.client.scatter([7], workers: ["a"], timeout: h.patience)
        let key = first![0].key
        #expect(first![0].status == .finished)
        first = nil
        let again = h.client.scatter([7], workers: ["a"], timeout: h.patience)[0]
        #expect(again.key == key)
        let doubled = h.client.submit("double", again, options: taking(0, workers: ["a"])) {
            $0 * 2
        }
        #expect(try doubled.result(timeout: h.patience) == 14)
        #expect(again.status == .finished)
        h.finish()
    }

    /// Scattered data that dies with its worker cannot be computed again: its future ends
    /// cancelled, and so does a task that was waiting for it.
    @Test(arguments: Backend.allCases) func scatteredDataLostWithItsWorkerIsCancelled(
        _ backend: Backend
    ) throws {
        // On threads a modelled second is 10 ms: the data is placed long before the kill.
        let h = Harness(backend, faults: [.kill(worker: "a", at: 10 * second)])
        let data = h.client.scatter([7], workers: ["a"], timeout: h.patience)[0]
        #expect(data.status == .finished)
        let slow = h.client.submit("slow", options: taking(30 * second, workers: ["b"])) { 1 }
        let waiting = h.client.submit("add", data, slow, options: taking(0, workers: ["b"])) {
            $0 + $1
        }
        h.eventually { data.status == .cancelled && waiting.status == .cancelled }
        #expect(try slow.result(timeout: h.patience) == 1)
        h.finish()
        #expect(h.starts(of: waiting.key).isEmpty)
    }

    /// Results lost with their worker whose recomputation raises: the futures go from lost to
    /// error (through pending, as the table allows), not stay lost.
    @Test(arguments: Backend.allCases) func aLostResultWhoseRecomputationRaisesErrs(
        _ backend: Backend
    ) throws {
        let h = Harness(
            backend,
            faults: [
                .kill(worker: "a", at: 10 * second),
                .failTask(key: "x", attempts: [2], error: "ValueError"),
            ])
        let x = h.client.submit(
            "x", options: taking(second, key: "x", workers: ["a"], allowOthers: true)
        ) { 1 }
        let y = h.client.submit(
            "y", x, options: taking(second, key: "y", workers: ["a"], allowOthers: true)
        ) { $0 + 1 }
        #expect(try y.result(timeout: h.patience) == 2)
        h.eventually { x.status == .error && y.status == .error }
        #expect((try? y.exception() as? TaskFailure)??.kind == "ValueError")
        h.finish()
        #expect(h.starts(of: "x").count == 2)
    }

    @Test(arguments: Backend.allCases) func mapGatherWaitAndAsCompleted(_ backend: Backend) throws {
        let h = Harness(backend)
        let futures = h.client.map("square", [3, 1, 2], options: taking(second)) { $0 * $0 }
        #expect(try h.client.gather(futures, timeout: h.patience) == [9, 1, 4])
        let slow = h.client.submit("slow", options: taking(50 * second)) { 0 }
        let fast = h.client.submit("fast", options: taking(1 * second)) { 0 }
        let done = wait([slow, fast], timeout: h.patience, returnWhen: .firstCompleted)
        #expect(done.done == [fast] && done.notDone == [slow])
        let order = try asCompleted([slow, fast], timeout: h.patience).drain()
        #expect(order == [fast, slow])
        h.finish()
    }

    @Test(arguments: Backend.allCases) func gatherSkipsErrors(_ backend: Backend) throws {
        let h = Harness(backend)
        let good = h.client.submit("good", 1) { $0 }
        let bad = h.client.submit("bad", 2) { (_: Int) -> Int in throw Boom() }
        #expect(
            try h.client.gather([good, bad, good], errors: .skip, timeout: h.patience) == [1, 1])
        #expect(throws: Boom()) { try h.client.gather([good, bad]) }
        h.finish()
    }

    /// A result wait that times out throws a timeout error and leaves the future alone.
    @Test(arguments: Backend.allCases) func aTimedOutWaitLeavesTheFuture(_ backend: Backend) throws
    {
        let h = Harness(backend)
        let future = h.client.submit("job", options: taking(100 * second)) { 1 }
        #expect(throws: TimeoutError.self) { try future.result(timeout: .milliseconds(5)) }
        #expect(try future.result(timeout: h.patience) == 1)
        h.finish()
    }

    @Test(arguments: Backend.allCases) func asyncForms(_ backend: Backend) async throws {
        let h = Harness(backend)
        let futures = h.client.map("inc", [1, 2], options: taking(second)) { $0 + 1 }
        #expect(try futures[0].result(timeout: h.patience) == 2)
        #expect(try await futures[1].value == 3)
        #expect(try await h.client.gather(futures) == [2, 3])
        h.finish()
    }

    /// The client holds its cluster, not the other way round: dropping both (a real one shut
    /// down first) frees both, and with them every result they kept.
    @Test(arguments: Backend.allCases) func droppedClientAndClusterAreFreed(
        _ backend: Backend
    ) throws {
        weak var droppedCluster: (any ClusterBackend)?
        weak var droppedClient: Client?
        do {
            let h = Harness(backend)
            droppedCluster = h.backend
            droppedClient = h.client
            #expect(try h.client.submit("inc", 1) { $0 + 1 }.result(timeout: h.patience) == 2)
            h.finish()
        }
        #expect(droppedCluster == nil)
        #expect(droppedClient == nil)
    }
}

extension AsCompleted {
    func drain() throws -> [Element] {
        var yielded: [Element] = []
        while let next = try next() { yielded.append(next) }
        return yielded
    }
}
