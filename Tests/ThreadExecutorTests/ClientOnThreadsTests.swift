import Cluster
import Dispatch
import Futures
import Scheduling
import Testing
import ThreadExecutor

/// The concurrent.futures and dask semantics, end to end through real threads.
@Suite struct ClientOnThreadsTests {
    @Test func submitAndResult() throws {
        let (cluster, client) = cluster()
        let future = client.submit("inc", 41, options: taking(second)) { $0 + 1 }
        #expect(try future.result(timeout: .seconds(30)) == 42)
        #expect(future.key.hasPrefix("inc-") && future.key.count == 4 + 32)
        cluster.finish()
        #expect(cluster.starts(of: future.key).count == 1)
    }

    @Test func dependencyChainsPassValues() throws {
        let (cluster, client) = cluster()
        let a = client.submit("inc", 1) { $0 + 1 }
        let b = client.submit("double", a) { $0 * 2 }
        let c = client.submit("add", a, b) { $0 + $1 }
        #expect(try c.result(timeout: .seconds(30)) == 6)
        cluster.finish()
    }

    /// Scattered values are in a worker's memory when the call returns, feed tasks as real
    /// values, and are copied as real bytes to the worker that needs them.
    @Test func scatteredValuesFeedTasks() throws {
        let (cluster, client) = cluster { $0.materializesOutputs = true }
        let data = client.scatter([[1, 2, 3], [4, 5]], size: 1_000, workers: ["a"])
        #expect(data.map(\.status) == [.finished, .finished])
        let total = client.submit("sum", data[0], data[1], options: taking(0, workers: ["b"])) {
            $0.reduce(0, +) + $1.reduce(0, +)
        }
        #expect(try total.result(timeout: .seconds(30)) == 15)
        let again = client.scatter([[1, 2, 3], [4, 5]], timeout: .seconds(30))
        #expect(again.map(\.key) == data.map(\.key))
        cluster.finish()
        #expect(cluster.starts(of: data[0].key).isEmpty)
    }

    /// Scattered data that dies with its worker cannot be computed again: its future ends
    /// cancelled, and so does a task that was waiting for it.
    @Test func scatteredDataLostWithItsWorkerIsCancelled() throws {
        // A modelled second is 10 ms: the data is placed long before the kill.
        let (cluster, client) = cluster(faults: [.kill(worker: "a", at: 10 * second)])
        let data = client.scatter([7], workers: ["a"], timeout: .seconds(30))[0]
        #expect(data.status == .finished)
        let slow = client.submit("slow", options: taking(30 * second, workers: ["b"])) { 1 }
        let waiting = client.submit("add", data, slow, options: taking(0, workers: ["b"])) {
            $0 + $1
        }
        eventually { data.status == .cancelled && waiting.status == .cancelled }
        #expect(try slow.result(timeout: .seconds(30)) == 1)
        cluster.finish()
        #expect(cluster.starts(of: waiting.key).isEmpty)
    }

    @Test func pureKeysDeduplicate() throws {
        let (cluster, client) = cluster()
        let first = client.submit("inc", 1, options: taking(second)) { $0 + 1 }
        let again = client.submit("inc", 1, options: taking(second)) { $0 + 1 }
        let other = client.submit("inc", 2, options: taking(second)) { $0 + 1 }
        #expect(first.key == again.key && first !== again && first.key != other.key)
        #expect(try client.gather([first, again, other], timeout: .seconds(30)) == [2, 2, 3])
        cluster.finish()
        #expect(cluster.starts(of: first.key).count == 1)
    }

    @Test func errorsPropagate() throws {
        let (cluster, client) = cluster()
        let failing = client.submit("fail", 1) { (_: Int) -> Int in throw Boom(code: 7) }
        let dependent = client.submit("inc", failing) { $0 + 1 }
        #expect(throws: Boom(code: 7)) { try dependent.result(timeout: .seconds(30)) }
        #expect(try failing.exception() as? Boom == Boom(code: 7))
        cluster.finish()
        #expect(cluster.starts(of: dependent.key).isEmpty)
    }

    @Test func retriesRerunATaskThatRaised() throws {
        let (cluster, client) = cluster(
            faults: [.failTask(key: "flaky", attempts: [1, 2], error: "ValueError")])
        let future = client.submit("flaky", options: taking(second, retries: 2, key: "flaky")) { 5 }
        #expect(try future.result(timeout: .seconds(30)) == 5)
        cluster.finish()
        #expect(cluster.starts(of: "flaky").count == 3)
    }

    @Test func retriesRunOut() {
        let (cluster, client) = cluster(faults: [
            .failTask(key: "flaky", attempts: [1, 2], error: "ValueError")
        ])
        let future = client.submit("flaky", options: taking(second, retries: 1, key: "flaky")) { 5 }
        let error = #expect(throws: TaskFailure.self) { try future.result(timeout: .seconds(30)) }
        #expect(error?.kind == "ValueError")
        cluster.finish()
    }

    @Test func killedWorkerAfterRepeatedDeaths() {
        let (cluster, client) = cluster(
            [WorkerSetup(name: "a")],
            faults: [
                .kill(worker: "a", at: 1 * second),
                .add(WorkerSetup(name: "b"), at: 2 * second),
                .kill(worker: "b", at: 3 * second),
                .add(WorkerSetup(name: "c"), at: 4 * second),
            ]
        ) { $0.scheduler.allowedFailures = 1 }
        let future = client.submit("long", options: taking(10 * second)) { 1 }
        let error = #expect(throws: TaskFailure.self) { try future.result(timeout: .seconds(30)) }
        #expect(error?.kind == "KilledWorker")
        cluster.finish()
    }

    @Test func aDeadWorkersTaskRunsElsewhere() throws {
        // Half a second of wall clock before the kill: time enough for the job to start.
        let (cluster, client) = cluster(faults: [.kill(worker: "a", at: 50 * second)]) {
            $0.deathDetectionDelay = 100 * millisecond
        }
        var options = taking(100 * second, workers: ["a"])
        options.allowOtherWorkers = true
        let future = client.submit("job", options: options) { 1 }
        #expect(try future.result(timeout: .seconds(30)) == 1)
        cluster.finish()
        let starts = cluster.starts(of: future.key)
        #expect(starts.count == 2)
        #expect(starts.first! < 50 * second && starts.last! >= 50 * second + 100 * millisecond)
    }

    @Test func forcedCancelOfARunningTask() throws {
        let (cluster, client) = cluster()
        let future = client.submit("long", options: taking(100 * second)) { 1 }
        eventually { future.isRunning }
        #expect(!future.cancel())
        #expect(future.cancel(force: true))
        #expect(throws: CancelledError.self) { try future.result() }
        cluster.finish()
        #expect(
            cluster.scheduler.state(of: cluster.scheduler.task(forKey: future.key)!) == .forgotten)
    }

    @Test func cancelBeforeStart() throws {
        let (cluster, client) = cluster([WorkerSetup(name: "a")])
        let blocker = client.submit("blocker", options: taking(second)) { 0 }
        let queued = client.submit("queued", options: taking(second)) { 1 }
        #expect(queued.cancel())
        #expect(try blocker.result(timeout: .seconds(30)) == 0)
        cluster.finish()
        #expect(cluster.starts(of: queued.key).isEmpty)
    }

    @Test func cancelThenResubmitAtOnce() throws {
        let (cluster, client) = cluster { $0.clientLatency = 5 * millisecond }
        let first = client.submit("inc", 200, options: taking(second)) { $0 + 1 }
        #expect(first.cancel(force: true))
        let again = client.submit("inc", 200, options: taking(second)) { $0 + 1 }
        #expect(first.key == again.key)
        #expect(try again.result(timeout: .seconds(30)) == 201)
        #expect(first.isCancelled)
        cluster.finish()
    }

    @Test func resourcesWaitForAWorkerThatHasThem() throws {
        let (cluster, client) = cluster(
            faults: [.add(WorkerSetup(name: "gpu", resources: ["GPU": 1]), at: 5 * second)])
        let future = client.submit("train", options: taking(second, resources: ["GPU": 1])) { 1 }
        #expect(try future.result(timeout: .seconds(30)) == 1)
        cluster.finish()
        #expect(cluster.starts(of: future.key).allSatisfy { $0 >= 5 * second })
    }

    @Test func droppingTheLastReferenceReleases() throws {
        let (cluster, client) = cluster()
        var future: ClientFuture<Int>? = client.submit("job", options: taking(second)) { 1 }
        let key = future!.key
        #expect(try future!.result(timeout: .seconds(30)) == 1)
        future = nil
        cluster.finish()
        #expect(cluster.scheduler.state(of: cluster.scheduler.task(forKey: key)!) == .forgotten)
    }

    /// Futures dropped while their first release waits for the control loop go in that one
    /// message, which frees every key; a release sent after another message is one of its own.
    @Test func releasesMadeWhileOneWaitsTravelTogether() throws {
        let (cluster, client) = cluster()
        var futures = client.map("job", Array(0..<50), options: taking(0)) { $0 }
        var last: ClientFuture<Int>? = client.submit("last", options: taking(0)) { 0 }
        _ = try client.gather(futures + [last!], timeout: .seconds(30))
        let keys = futures.map(\.key) + [last!.key]
        // The blocker's done-callback runs on the control loop and holds it there until the
        // futures are dropped, so none of their releases reaches the scheduler before the last.
        // (The blocker's body waits until the callback is added, so the callback cannot run
        // here.)
        let added = DispatchSemaphore(value: 0)
        let held = DispatchSemaphore(value: 0)
        let resume = DispatchSemaphore(value: 0)
        let blocker = client.submit("blocker", options: taking(0)) {
            added.wait()
            return 0
        }
        blocker.addDoneCallback { _ in
            held.signal()
            resume.wait()
        }
        added.signal()
        held.wait()
        futures = []
        let more = client.submit("more", options: taking(0)) { 0 }
        last = nil
        resume.signal()
        #expect(try more.result(timeout: .seconds(30)) == 0)
        cluster.finish()
        let releases = cluster.traceRecords.filter {
            $0.kind == .clientSent && $0.from == MessageKind.release.rawValue
        }
        #expect(releases.count == 2)
        for key in keys {
            #expect(cluster.scheduler.state(of: cluster.scheduler.task(forKey: key)!) == .forgotten)
        }
    }

    /// A key released and submitted again with another body runs the new body.
    @Test func aKeySubmittedAgainRunsItsNewBody() throws {
        let (cluster, client) = cluster()
        var first: ClientFuture<Int>? = client.submit("job", options: taking(0, key: "k")) { 1 }
        #expect(try first!.result(timeout: .seconds(30)) == 1)
        first = nil
        let second = client.submit("job", options: taking(0, key: "k")) { 2 }
        #expect(try second.result(timeout: .seconds(30)) == 2)
        cluster.finish()
    }

    @Test func mapGatherWaitAndAsCompleted() throws {
        let (cluster, client) = cluster()
        let futures = client.map("square", [3, 1, 2], options: taking(second)) { $0 * $0 }
        #expect(try client.gather(futures, timeout: .seconds(30)) == [9, 1, 4])
        let slow = client.submit("slow", options: taking(50 * second)) { 0 }
        let fast = client.submit("fast", options: taking(1 * second)) { 0 }
        let done = wait([slow, fast], timeout: .seconds(30), returnWhen: .firstCompleted)
        #expect(done.done == [fast] && done.notDone == [slow])
        let completed = asCompleted([slow, fast], timeout: .seconds(30))
        var order: [ClientFuture<Int>] = []
        while let next = try completed.next() { order.append(next) }
        #expect(order == [fast, slow])
        cluster.finish()
    }

    @Test func gatherSkipsErrors() throws {
        let (cluster, client) = cluster()
        let good = client.submit("good", 1) { $0 }
        let bad = client.submit("bad", 2) { (_: Int) -> Int in throw Boom() }
        #expect(
            try client.gather([good, bad, good], errors: .skip, timeout: .seconds(30)) == [1, 1])
        #expect(throws: Boom()) { try client.gather([good, bad]) }
        cluster.finish()
    }

    @Test func timeoutsAreReal() throws {
        let (cluster, client) = cluster()
        let future = client.submit("job", options: taking(100 * second)) { 1 }
        #expect(throws: TimeoutError.self) { try future.result(timeout: .milliseconds(5)) }
        #expect(try future.result(timeout: .seconds(30)) == 1)
        cluster.finish()
    }

    @Test func asyncForms() async throws {
        let (cluster, client) = cluster()
        let futures = client.map("inc", [1, 2], options: taking(second)) { $0 + 1 }
        #expect(try await futures[1].value == 3)
        #expect(try await client.gather(futures) == [2, 3])
        cluster.finish()
    }

    /// Client calls from many threads at once.
    @Test func submitsFromManyThreads() throws {
        let (cluster, client) = cluster()
        let results = Locked<[Int]>([])
        DispatchQueue.concurrentPerform(iterations: 8) { thread in
            let futures = client.map("times-\(thread)", Array(0..<50)) { $0 * thread }
            let values = try! client.gather(futures, timeout: .seconds(30))
            results.withLock { $0.append(values.reduce(0, +)) }
        }
        #expect(results.withLock { $0.sorted() } == (0..<8).map { 1225 * $0 })
        cluster.finish()
    }

    /// Once shut down, a cluster and its client are freed when dropped.
    @Test func droppedClientAndClusterAreFreed() throws {
        weak var droppedCluster: ThreadCluster?
        weak var droppedClient: Client?
        do {
            let (cluster, client) = cluster()
            droppedCluster = cluster
            droppedClient = client
            #expect(try client.submit("inc", 1) { $0 + 1 }.result(timeout: .seconds(30)) == 2)
            cluster.finish()
        }
        #expect(droppedCluster == nil)
        #expect(droppedClient == nil)
    }
}
