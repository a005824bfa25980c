import Scheduling
import Testing

/// Workers dying and joining, and the stale messages that follow (Semantics: Completion messages; Worker death).
@Suite struct WorkerLifecycleTests {
    @Test func aDeadWorkersTasksAreRescheduled() {
        let h = Harness()
        let a = h.addWorker("a")
        h.submit("x")
        h.send(.taskStarted(h.id("x"), worker: a, run: h.run(of: "x")))
        let b = h.addWorker("b")
        h.send(.workerRemoved(a, expected: false))
        #expect(h.last.contains(.workerGone(a)))
        #expect(h.reports["x"] == .pending)
        #expect(h.worker(of: "x") == b)
        #expect(h.scheduler.suspiciousCount(of: h.id("x")) == 1)
    }

    /// Every task in the dead worker's processing set is suspicious, started or not, and past
    /// `allowedFailures` deaths it errs with KilledWorker.
    @Test func killedWorkerAfterRepeatedDeaths() {
        let h = Harness { $0.allowedFailures = 1 }
        let first = h.addWorker("w0")
        h.submit("x", "y")  // both on w0: y never started
        #expect(h.worker(of: "y") == first)
        let second = h.addWorker("w1")
        h.send(.workerRemoved(first, expected: false))
        #expect(h.worker(of: "x") == second && h.worker(of: "y") == second)
        h.addWorker("w2")
        h.send(.workerRemoved(second, expected: false))
        for key in ["x", "y"] {
            #expect(h.state(key) == .erred)
            #expect(h.scheduler.failure(of: h.id(key))?.kind == "KilledWorker")
            #expect(h.scheduler.failure(of: h.id(key))?.message.contains("w1") == true)
        }
    }

    @Test func anExpectedRemovalIsNotSuspicious() {
        let h = Harness { $0.allowedFailures = 0 }
        let a = h.addWorker("a")
        h.submit("x")
        h.addWorker("b")
        h.send(.workerRemoved(a, expected: true))
        #expect(h.state("x") == .processing)
        #expect(h.scheduler.suspiciousCount(of: h.id("x")) == 0)
    }

    /// A result held only by a dead worker is lost and recomputed while something needs it.
    @Test func lostResultsAreRecomputed() {
        let h = Harness()
        let a = h.addWorker("a")
        h.submit("x")
        h.finish("x")
        let b = h.addWorker("b")
        h.send(.workerRemoved(a, expected: false))
        #expect(h.reports["x"] == .lost)
        #expect(h.state("x") == .processing)
        #expect(h.worker(of: "x") == b)
        h.finish("x")
        #expect(h.reports["x"] == .finished)
    }

    @Test func aResultWithAnotherReplicaSurvives() {
        let h = Harness()
        let a = h.addWorker("a")
        let b = h.addWorker("b")
        h.submit("x")
        h.finish("x")
        let holder = h.scheduler.replicas(of: h.id("x"))[0]
        let other = holder == a ? b : a
        h.send(.addKeys(worker: other, tasks: [h.id("x")]))
        h.send(.workerRemoved(holder, expected: false))
        #expect(h.state("x") == .memory)
        #expect(h.scheduler.replicas(of: h.id("x")) == [other])
    }

    /// Add-keys for a task that is not in memory frees the data, unless the scheduler is
    /// computing the task again on that very worker: then the worker answers from it.
    @Test func addKeysForATaskNotInMemory() {
        let h = Harness()
        let a = h.addWorker("a")
        let b = h.addWorker("b")
        h.submit([KeyedSpec(key: "x", workers: ["a"]), KeyedSpec(key: "y", workers: ["b"])])
        #expect(h.worker(of: "x") == a)
        h.send(.addKeys(worker: a, tasks: [h.id("x"), h.id("y")]))
        #expect(h.freedKeys(on: a) == ["y"])
        #expect(h.scheduler.replicas(of: h.id("x")).isEmpty)
        h.send(.addKeys(worker: b, tasks: [h.id("x")]))
        #expect(h.freedKeys(on: b) == ["x"])
    }

    /// request-refresh-who-has is answered with the holders of what is in memory.
    @Test func whoHasIsRefreshedForResultsInMemory() {
        let h = Harness()
        let a = h.addWorker("a")
        let b = h.addWorker("b")
        h.submit([KeyedSpec(key: "x", workers: ["a"]), KeyedSpec(key: "y", workers: ["a"])])
        h.finish("x")
        h.send(.requestRefreshWhoHas(worker: b, tasks: [h.id("x"), h.id("y")]))
        #expect(
            h.last.contains(
                .refreshWhoHas(
                    inputs: [ComputeRequest.Input(task: h.id("x"), holders: [a], size: 100)],
                    worker: b)))
    }

    /// Worker death while fetching: y's input x lived only on the dead worker; y goes back to
    /// waiting, x is recomputed, then y runs again.
    @Test func workerDeathWhileFetching() {
        let h = Harness()
        let a = h.addWorker("a")
        h.submit([KeyedSpec(key: "x")], wanted: [])
        h.submit([KeyedSpec(key: "x"), KeyedSpec(key: "y", dependencies: ["x"])], wanted: ["y"])
        h.finish("x")
        let b = h.addWorker("b")
        // Pretend y went to b, which is fetching x from a.
        h.send(.workerRemoved(a, expected: false))
        #expect(h.state("x") == .processing)
        #expect(h.worker(of: "x") == b)
        #expect(h.state("y") == .waiting)
        h.finish("x")
        #expect(h.state("y") == .processing)
        #expect(h.computes()[0].inputs[0].holders == [b])
    }

    /// R12: y's input is lost while y runs; y's finish arrives after y went back to waiting and
    /// is ignored; y runs again after x is recomputed.
    @Test func finishWhileWaitingIsIgnored() {
        let h = Harness()
        let a = h.addWorker("a")
        let b = h.addWorker("b")
        h.submit([KeyedSpec(key: "x", workers: ["b"])], wanted: [])
        h.submit([KeyedSpec(key: "y", dependencies: ["x"], workers: ["a"])], wanted: ["y"])
        h.submit([], wanted: ["x"])
        h.finish("x")
        #expect(h.worker(of: "y") == a)
        let run = h.run(of: "y")
        h.addWorker("c")
        h.send(.workerRemoved(b, expected: false))
        #expect(h.state("y") == .waiting)
        #expect(h.freedKeys(on: a) == ["y"])
        h.send(.taskFinished(h.id("y"), worker: a, run: run, outputSize: 1, duration: 1))
        #expect(h.notes() == [.finishedWhileWaiting])
        #expect(h.state("y") == .waiting)
    }

    /// R4: a result from an earlier run on another worker is refused with free-keys; the
    /// current run's result is taken.
    @Test func staleRunFromAnotherWorker() {
        let h = Harness()
        let a = h.addWorker("a")
        h.submit("x")
        let oldRun = h.run(of: "x")
        h.send(.release(client: h.client, tasks: h.ids(["x"])))
        let b = h.addWorker("b")
        h.send(.workerRemoved(a, expected: true))
        h.submit("x")
        #expect(h.worker(of: "x") == b)
        h.send(.taskFinished(h.id("x"), worker: b, run: oldRun, outputSize: 1, duration: 1))
        #expect(h.notes() == [.staleRun])
        #expect(h.freedKeys(on: b) == ["x"])
        #expect(h.state("x") == .processing)
        h.finish("x")
        #expect(h.state("x") == .memory)
    }

    /// R4 variant: an old run's result from the worker now processing the task: the task is
    /// released and recomputed.
    @Test func staleRunFromTheProcessingWorker() {
        let h = Harness()
        let a = h.addWorker("a")
        h.submit([KeyedSpec(key: "x", retries: 1)])
        let oldRun = h.run(of: "x")
        h.fail("x")  // retried on a under a new run
        #expect(h.worker(of: "x") == a)
        #expect(h.run(of: "x") != oldRun)
        h.send(.taskFinished(h.id("x"), worker: a, run: oldRun, outputSize: 1, duration: 1))
        #expect(h.notes() == [.staleRun])
        #expect(h.state("x") == .processing)
        #expect(h.computes().count == 1)
    }

    @Test func aFinishFromARemovedWorkerIsIgnored() {
        let h = Harness()
        let a = h.addWorker("a")
        h.submit("x")
        let run = h.run(of: "x")
        h.addWorker("b")
        h.send(.workerRemoved(a, expected: false))
        h.send(.taskFinished(h.id("x"), worker: a, run: run, outputSize: 1, duration: 1))
        #expect(h.notes() == [.fromRemovedWorker])
        #expect(h.state("x") == .processing)
        h.send(.taskErred(h.id("x"), worker: a, run: run, failure: .boom))
        #expect(h.notes() == [.notProcessing])
    }

    /// A stale error from an earlier run is ignored.
    @Test func staleErrorIsIgnored() {
        let h = Harness()
        let a = h.addWorker("a")
        h.submit([KeyedSpec(key: "x", retries: 1)])
        let oldRun = h.run(of: "x")
        h.fail("x")
        let b = h.addWorker("b")
        h.send(.workerRemoved(a, expected: true))
        #expect(h.worker(of: "x") == b)
        h.send(.taskErred(h.id("x"), worker: b, run: oldRun, failure: .boom))
        #expect(h.state("x") == .processing)
    }

    @Test func missingDataDropsTheReplica() {
        let h = Harness()
        let a = h.addWorker("a")
        let b = h.addWorker("b")
        h.submit("x")
        h.finish("x")
        let holder = h.scheduler.replicas(of: h.id("x"))[0]
        h.send(.missingData(h.id("x"), worker: holder == a ? b : a, holder: holder))
        #expect(h.reports["x"] == .lost)
        #expect(h.state("x") == .processing)
    }
}

/// A worker paused for its memory (dask's `worker-status-change`): it keeps its tasks and its
/// data, gets nothing new, and is a place for work again when it runs.
@Suite struct PausedWorkerTests {
    @Test func aPausedWorkerGetsNoNewTasks() {
        let h = Harness()
        let a = h.addWorker("a")
        let b = h.addWorker("b")
        h.submit("x")
        let x = h.worker(of: "x")!
        let other = x == a ? b : a
        h.send(.workerStatusChanged(x, paused: true))
        #expect(h.scheduler.status(of: x) == .paused)
        #expect(h.scheduler.running == [other])
        // It keeps what it processes; new work goes elsewhere.
        #expect(h.state("x") == .processing)
        h.submit("y")
        #expect(h.worker(of: "y") == other)
        h.finish("x")
        #expect(h.state("x") == .memory)
    }

    @Test func tasksWithoutAWorkerRunWhenItResumes() {
        let h = Harness()
        let a = h.addWorker("a")
        h.send(.workerStatusChanged(a, paused: true))
        h.submit("x")
        #expect(h.state("x") == .noWorker)
        h.send(.workerStatusChanged(a, paused: false))
        #expect(h.computedKeys == ["x"])
        #expect(h.scheduler.running == [a])
    }

    /// Queued root-ish tasks wait while the only worker is paused, then fill its slots.
    @Test func queuedTasksWaitForAPausedWorker() {
        let h = Harness()
        let a = h.addWorker("a", threads: 2)  // 3 slots
        h.submit((0..<10).map { KeyedSpec(key: "load-\($0)") })
        h.send(.workerStatusChanged(a, paused: true))
        h.finish("load-0")
        #expect(h.computedKeys.isEmpty)
        #expect(h.scheduler.count(in: .queued) == 7)
        h.send(.workerStatusChanged(a, paused: false))
        #expect(h.computedKeys == ["load-3"])
    }

    /// Keys are freed on a paused worker as on a running one: freeing is how it resumes.
    @Test func aPausedWorkerStillHearsOfFreedKeys() {
        let h = Harness()
        let a = h.addWorker("a")
        h.submit("x")
        h.finish("x")
        h.send(.workerStatusChanged(a, paused: true))
        h.send(.release(client: h.client, tasks: h.ids(["x"])))
        #expect(h.freedKeys(on: a) == ["x"])
    }

    /// A status change from a worker already gone, or one that changes nothing, is ignored.
    @Test func staleStatusChangesAreIgnored() {
        let h = Harness()
        let a = h.addWorker("a")
        let b = h.addWorker("b")
        h.send(.workerStatusChanged(a, paused: false))
        h.send(.workerRemoved(b, expected: false))
        h.send(.workerStatusChanged(b, paused: true))
        h.send(.workerStatusChanged(b, paused: false))
        #expect(h.scheduler.status(of: b) == .dead)
        #expect(h.scheduler.running == [a])
    }
}

extension PausedWorkerTests {
    /// A steal confirmed after its thief paused still moves the task there (as dask, which
    /// counts a paused worker as alive), without taking a queue slot it does not have.
    @Test func aThiefThatPausedStillTakesTheTask() throws {
        let h = Harness(policy: WorkStealingPolicy(interval: 100_000_000))
        let a = h.addWorker("a")
        // Two tasks fill a's two queue slots (ceil(1.1 × 1 thread)); b joins idle.
        h.submit((0..<2).map { KeyedSpec(key: "job-\($0)", estimatedDuration: 1_000_000_000) })
        let b = h.addWorker("b")
        #expect(h.scheduler.processing(on: a).count == 2)
        h.now = 100_000_000
        h.send(.tick)
        let (task, steal) = try #require(
            h.last.lazy.compactMap { command -> (TaskID, StealID)? in
                if case .stealRequest(a, let task, let steal) = command { return (task, steal) }
                return nil
            }.first)
        h.send(.workerStatusChanged(b, paused: true))
        h.send(.stealResponse(task, worker: a, state: .ready, steal: steal))
        #expect(h.notes() == [.stealConfirmed])
        #expect(h.scheduler.processingWorker(of: task) == b)
        h.send(.workerStatusChanged(b, paused: false))
        #expect(h.scheduler.running == [a, b])
    }
}
