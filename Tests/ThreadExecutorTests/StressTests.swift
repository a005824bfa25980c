import Cluster
import Dispatch
@_spi(Locking) import Futures
import Scheduling
import Testing
import ThreadExecutor

/// Many tasks, random cancels from another thread and workers dying under them: every
/// future ends in exactly one terminal state, every callback runs once, nothing hangs.
@Suite struct ThreadStressTests {
    @Test func cancelsAndKillsUnderLoad() throws {
        let count = 100_000
        let workers = (0..<4).map { WorkerSetup(name: "w\($0)", threads: 2) }
        // Workers die and others join while the tasks run (times in milliseconds of wall
        // clock: the time scale is 1).
        var faults: [Fault] = []
        for round in 0..<4 {
            let at = Nanoseconds(50 + 100 * round) * millisecond
            faults.append(.kill(worker: "w\(round)", at: at))
            faults.append(
                .add(WorkerSetup(name: "x\(round)", threads: 2), at: at + 20 * millisecond))
        }
        let (cluster, client) = cluster(workers, faults: faults) {
            $0.timeScale = 1
            $0.checksInvariants = false
            $0.deathDetectionDelay = 5 * millisecond
        }
        let callbacks = Locked([Int](repeating: 0, count: count))
        var futures: [ClientFuture<Int>] = []
        futures.reserveCapacity(count)
        for batch in 0..<(count / 1000) {
            let items = Array(batch * 1000..<(batch + 1) * 1000)
            for (index, future) in zip(items, client.map("stress", items) { $0 }) {
                future.addDoneCallback { _ in callbacks.withLock { $0[index] += 1 } }
                futures.append(future)
            }
        }
        // Cancel about one future in ten, a third of them forcibly, from another thread.
        let targets = futures
        let canceller = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            var generator = SeededGenerator(seed: 42)
            for future in targets where generator.next() % 10 == 0 {
                future.cancel(force: generator.next() % 3 == 0)
            }
            canceller.signal()
        }
        canceller.wait()
        let outcome = wait(futures, timeout: .seconds(120), returnWhen: .allCompleted)
        #expect(outcome.notDone.isEmpty, "\(outcome.notDone.count) futures never finished")
        cluster.finish()
        var statuses: [FutureStatus: Int] = [:]
        for (index, future) in futures.enumerated() {
            statuses[future.status, default: 0] += 1
            if future.status == .finished { #expect(try future.result() == index) }
        }
        #expect(Set(statuses.keys).isSubset(of: [.finished, .cancelled, .error]), "\(statuses)")
        #expect(statuses[.cancelled, default: 0] > 0 && statuses[.finished, default: 0] > 0)
        #expect(callbacks.withLock { $0.allSatisfy { $0 == 1 } })
        #expect(cluster.scheduler.invariantViolations().isEmpty)
    }

    /// Shutting down with work pending, as `shutdown(cancel_futures=True)`: what runs
    /// finishes, what waits is cancelled, nothing hangs.
    @Test func shutdownCancelsPendingWork() throws {
        let (cluster, client) = cluster([WorkerSetup(name: "a")])
        let futures = client.map("slow", Array(0..<10), options: taking(5 * second)) { $0 }
        eventually { futures[0].isRunning }
        #expect(cluster.shutdown(cancellingPending: true, timeout: .seconds(60)))
        #expect(futures.allSatisfy { $0.isDone })
        #expect(futures[0].status == .finished)
        #expect(futures.dropFirst().allSatisfy { $0.isCancelled })
        #expect(cluster.failure == nil)
    }

    /// Work that can never run leaves the cluster quiet: shutting down names it as a hang
    /// and cancels its future, so nobody waits on it forever.
    @Test func shutdownAbandonsWhatCannotRun() throws {
        let (cluster, client) = cluster([WorkerSetup(name: "a")])
        let future = client.submit("gpu", options: taking(second, resources: ["GPU": 1])) { 1 }
        #expect(cluster.shutdown(timeout: .seconds(60)))
        #expect(future.isCancelled)
        #expect(throws: CancelledError.self) { try future.result() }
        guard case .hang(_, let stuck)? = cluster.failure else {
            Issue.record("no hang reported")
            return
        }
        #expect(stuck == ["\(future.key) (no-worker)"])
    }

    /// Under work stealing, a task stuck on a paused worker does not keep the cluster busy
    /// with balancing ticks that find nothing to do: it goes quiet and names the hang.
    @Test func aHangUnderWorkStealingGoesQuiet() throws {
        let megabyte: Int64 = 1_000_000
        let (cluster, client) = cluster(
            [
                WorkerSetup(
                    name: "a", memory: 100 * megabyte,
                    memoryThresholds: MemoryThresholds(target: nil, spill: nil))
            ], policy: "work-stealing")
        let held = (1...4).map { index in
            var options = taking(second / 10, key: "p\(index)")
            options.model.outputSize = 30 * megabyte
            return client.submit("part", index, options: options) { $0 }
        }
        #expect(cluster.waitUntilQuiet(timeout: .seconds(20)), "still ticking")
        #expect(cluster.shutdown(timeout: .seconds(60)))
        guard case .hang(_, let stuck)? = cluster.failure else {
            Issue.record("no hang reported")
            return
        }
        #expect(stuck == ["p4 (processing on paused worker a, holding 90MB of 100MB)"])
        withExtendedLifetime(held) {}
    }
}

/// On threads, a seceded execution hands its thread over: the worker's pool starts another,
/// and the seceded one leaves when its body is done.
@Suite struct SecedeOnThreadsTests {
    @Test func aSecededTaskLetsTheNextOneRunOnItsThread() throws {
        let (cluster, client) = cluster([WorkerSetup(name: "a", threads: 1)])
        var service = taking(20 * second)
        service.model.secedeAfter = 100 * millisecond
        service.priority = 1
        let long = client.submit("service", options: service) { 1 }
        let jobs = (0..<3).map { index in
            client.submit("job", index, options: taking(200 * millisecond)) { $0 }
        }
        #expect(try client.gather(jobs) == [0, 1, 2])
        #expect(long.status != .finished, "the jobs ran while the service held its thread")
        #expect(try long.result() == 1)
        #expect(cluster.shutdown(timeout: .seconds(60)))
    }
}
