import Scheduling
import Testing

/// dask's long-running tasks on the worker: an execution that secedes leaves its thread to
/// other work; the scheduler hears of it only while it counts the task as running there.
@Suite struct WorkerSecedeTests {
    /// The worker says long-running (with the time run so far), the next ready task starts
    /// at once, a steal is refused as long-running, and the end is reported as usual.
    @Test func anExecutingTaskSecedesAndFreesItsThread() {
        let h = WorkerHarness(threads: 1)
        let run = h.compute(1)
        h.compute(2)
        #expect(h.worker.busyThreads == 1 && h.state(2) == .ready)
        h.send(.secede(TaskID(1), computeDuration: 7))
        #expect(
            h.messages == [
                .longRunning(TaskID(1), run: run, computeDuration: 7),
                .taskStarted(TaskID(2), run: RunID(102)),
            ])
        #expect(h.executed == [TaskID(2)])
        #expect(h.worker.busyThreads == 1 && h.worker.executingCount == 2)
        h.send(.stealRequest(TaskID(1), steal: StealID(1)))
        #expect(h.messages == [.stealResponse(TaskID(1), state: .longRunning, steal: StealID(1))])
        h.send(.executionSucceeded(TaskID(1), outputSize: 8, duration: 9))
        #expect(h.messages == [.taskFinished(TaskID(1), run: run, outputSize: 8, duration: 9)])
        #expect(h.worker.busyThreads == 1 && h.worker.executingCount == 1)
        // A second secede of the same execution, or of a task not running, changes nothing.
        h.send(.secede(TaskID(1), computeDuration: 1))
        h.send(.secede(TaskID(2), computeDuration: 1))
        h.send(.secede(TaskID(2), computeDuration: 1))
        #expect(h.messages.isEmpty)
    }

    /// Cancelled while executing, then seceding: the scheduler does not count it here, so it
    /// hears nothing; computed here again, it hears in arrears, without a duration.
    @Test func aCancelledExecutionSecedesSilentlyAndTellsInArrears() {
        let h = WorkerHarness(threads: 1)
        h.compute(1)
        h.send(.freeKeys([TaskID(1)]))
        #expect(h.state(1) == .cancelled)
        h.compute(2)
        #expect(h.executed.isEmpty)
        h.send(.secede(TaskID(1), computeDuration: 5))
        #expect(h.messages == [.taskStarted(TaskID(2), run: RunID(102))])
        let again = h.compute(1)
        #expect(h.state(1) == .executing)
        #expect(h.messages == [.longRunning(TaskID(1), run: again, computeDuration: nil)])
    }

    /// Cancelled, then wanted as data (resumed to be fetched), then seceding: no message;
    /// its end keeps the result and says so with add-keys.
    @Test func aResumedExecutionSecedesSilently() {
        let h = WorkerHarness(threads: 1)
        h.compute(1)
        h.send(.freeKeys([TaskID(1)]))
        h.compute(3, inputs: [input(1, on: 7)])
        #expect(h.state(1) == .resumed)
        h.send(.secede(TaskID(1), computeDuration: 5))
        #expect(h.messages.isEmpty)
        #expect(h.worker.busyThreads == 0)
        h.send(.executionSucceeded(TaskID(1), outputSize: 8, duration: 9))
        #expect(h.state(1) == .memory)
        #expect(h.messages.first == .addKeys([TaskID(1)]))
    }
}

/// dask's `handle_long_running` on the scheduler.
@Suite struct SchedulerLongRunningTests {
    /// The task stops counting in its worker's occupancy and slots (a queued root-ish task
    /// takes the slot), is no longer stealable, and a stale notice changes nothing.
    @Test func aLongRunningTaskGivesItsSlotBack() {
        let h = Harness()
        let a = h.addWorker("a")  // 2 slots
        h.submit((0..<6).map { KeyedSpec(key: "load-\($0)") })
        #expect(h.scheduler.count(in: .queued) == 4)
        let first = h.id("load-0")
        let worker = h.scheduler.processingWorker(of: first)!
        let stale = RunID(h.run(of: "load-0").value + 100)
        h.send(.longRunning(first, worker: worker, run: stale, computeDuration: 5))
        #expect(h.scheduler.count(in: .queued) == 4)
        h.send(.longRunning(first, worker: a, run: h.run(of: "load-0"), computeDuration: 5))
        #expect(h.computedKeys == ["load-2"])
        #expect(h.scheduler.count(in: .queued) == 3)
        #expect(!h.scheduler.isStealable(first))
        #expect(h.scheduler.expectedDuration(of: h.id("load-5")) == 5)
        h.finish("load-0")
        // Its end frees no slot: it held none.
        #expect(h.computedKeys.isEmpty)
        #expect(h.scheduler.count(in: .queued) == 3)
    }
}
