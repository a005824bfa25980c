import Scheduling
import Testing

@Suite struct WorkerTaskStateTests {
    static let allowed: Set<[WorkerTaskState]> = [
        [.released, .waiting], [.released, .fetch], [.released, .forgotten],
        [.released, .memory], [.fetch, .memory], [.missing, .memory], [.error, .memory],
        [.waiting, .ready], [.waiting, .constrained], [.waiting, .released],
        [.fetch, .flight], [.fetch, .missing], [.fetch, .released],
        [.flight, .memory], [.flight, .fetch], [.flight, .missing], [.flight, .cancelled],
        [.flight, .resumed],
        [.missing, .fetch], [.missing, .released],
        [.ready, .executing], [.ready, .constrained], [.ready, .released],
        [.constrained, .executing], [.constrained, .released],
        [.executing, .memory], [.executing, .error], [.executing, .cancelled],
        [.memory, .released], [.error, .released],
        [.cancelled, .released], [.cancelled, .executing], [.cancelled, .flight],
        [.cancelled, .resumed],
        [.resumed, .memory], [.resumed, .waiting], [.resumed, .fetch], [.resumed, .executing],
        [.resumed, .cancelled], [.resumed, .released],
    ]

    @Test(arguments: WorkerTaskState.allCases, WorkerTaskState.allCases)
    func transitionTable(from: WorkerTaskState, to: WorkerTaskState) {
        #expect(from.canTransition(to: to) == Self.allowed.contains([from, to]))
    }
}

/// The worker's semantics, each as a scripted event sequence (Semantics: Worker task states).
@Suite struct WorkerStateMachineTests {
    @Test func aTaskWithoutInputsRunsAtOnce() {
        let h = WorkerHarness()
        let run = h.compute(1)
        #expect(h.executed == [TaskID(1)])
        #expect(h.messages == [.taskStarted(TaskID(1), run: run)])
        h.send(.executionSucceeded(TaskID(1), outputSize: 8, duration: 5))
        #expect(h.state(1) == .memory)
        #expect(h.messages == [.taskFinished(TaskID(1), run: run, outputSize: 8, duration: 5)])
    }

    @Test func inputsAreFetchedBeforeExecution() {
        let h = WorkerHarness()
        h.compute(2, inputs: [input(1, on: 7)])
        #expect(h.state(2) == .waiting)
        #expect(h.fetches.map(\.1) == [WorkerID(7)])
        #expect(h.state(1) == .flight)
        h.send(.fetchSucceeded(TaskID(1), from: WorkerID(7), size: 64))
        #expect(h.state(1) == .memory)
        #expect(h.executed == [TaskID(2)])
    }

    /// Fetched data is announced with add-keys, so the scheduler counts the replica, uses it
    /// and frees it with the task (dask's flight → memory).
    @Test func fetchedDataIsAnnounced() {
        let h = WorkerHarness()
        let run = h.compute(2, inputs: [input(1, on: 7)])
        h.send(.fetchSucceeded(TaskID(1), from: WorkerID(7), size: 64))
        #expect(h.messages == [.addKeys([TaskID(1)]), .taskStarted(TaskID(2), run: run)])
        h.send(.executionSucceeded(TaskID(2), outputSize: 8, duration: 5))
        h.send(.freeKeys([TaskID(1)]))
        #expect(h.state(1) == .forgotten)
    }

    /// Scattered data arrives with the message: in memory at once, confirmed under its run.
    @Test func updateDataStoresAndConfirms() {
        let h = WorkerHarness()
        h.send(.updateData(TaskID(1), run: RunID(5), size: 100))
        #expect(h.state(1) == .memory)
        #expect(
            h.messages == [.taskFinished(TaskID(1), run: RunID(5), outputSize: 100, duration: 0)])
    }

    /// Data arriving while it was being fetched ends the fetch: a dependent waiting for it
    /// runs, and the fetch's late outcome changes nothing.
    @Test func updateDataOvertakesAFetch() {
        let h = WorkerHarness()
        h.compute(2, inputs: [input(1, on: 7)])
        #expect(h.state(1) == .flight)
        h.send(.updateData(TaskID(1), run: RunID(5), size: 64))
        #expect(h.state(1) == .memory)
        #expect(h.executed == [TaskID(2)])
        h.send(.fetchSucceeded(TaskID(1), from: WorkerID(7), size: 64))
        #expect(h.state(1) == .memory)
        #expect(h.messages.isEmpty)
    }

    /// At most `fetchLimit` gathers are in flight; one ends when its last result arrives.
    @Test func fetchesRespectTheLimit() {
        let h = WorkerHarness(fetchLimit: 2)
        h.compute(
            9, inputs: [input(1, on: 7), input(2, on: 7, 5), input(3, on: 8), input(4, on: 6)])
        #expect(h.gathers.map(\.tasks) == [[TaskID(1), TaskID(2)], [TaskID(3)]])
        #expect(h.state(4) == .fetch)
        h.send(.fetchSucceeded(TaskID(1), from: WorkerID(7), size: 64))
        #expect(h.gathers.isEmpty, "the first gather has a result still on the way")
        h.send(.fetchSucceeded(TaskID(2), from: WorkerID(7), size: 64))
        #expect(h.gathers.map(\.tasks) == [[TaskID(4)]])
        #expect(h.gathers.map(\.peer) == [WorkerID(6)])
    }

    /// A gather takes the inputs the same peer holds, in the order they were asked for, up to
    /// dask's 50 MB message limit; a bigger first input goes alone.
    @Test func aGatherStopsAtTheMessageLimit() {
        let h = WorkerHarness()
        h.compute(
            9,
            inputs: [
                input(1, on: 7, size: 30_000_000), input(2, on: 7, size: 20_000_000),
                input(3, on: 7, size: 1), input(4, on: 7, size: 60_000_000),
            ])
        #expect(
            h.gathers.map(\.tasks) == [[TaskID(1), TaskID(2)], [TaskID(3)], [TaskID(4)]])
        #expect(h.gathers.map(\.bytes) == [50_000_000, 1, 60_000_000])
    }

    /// A holder that is gone, or that does not have the data, is replaced by the next one.
    @Test func fetchRetriesAnotherPeer() {
        let h = WorkerHarness()
        h.compute(9, inputs: [input(1, on: 7, 8), input(2, on: 7, 8)])
        #expect(h.fetches.map(\.1) == [WorkerID(7), WorkerID(7)])
        h.send(.fetchFailed(TaskID(1), from: WorkerID(7)))
        #expect(h.messages == [.missingData(TaskID(1), holder: WorkerID(7))])
        #expect(h.fetches.map(\.1) == [WorkerID(8)])
        h.send(.peerGone(WorkerID(7)))
        #expect(h.fetches.map(\.0) == [TaskID(2)])
        #expect(h.fetches.map(\.1) == [WorkerID(8)])
        #expect(h.messages.isEmpty, "a gone peer is not reported as missing data")
    }

    @Test func anInputNobodyHasIsMissing() {
        let h = WorkerHarness()
        h.compute(9, inputs: [input(1, on: 7)])
        h.send(.fetchFailed(TaskID(1), from: WorkerID(7)))
        #expect(h.state(1) == .missing)
        // Fresh news of where it lives (a new compute request) fetches it again.
        h.compute(9, inputs: [input(1, on: 8)])
        #expect(h.fetches.map(\.1) == [WorkerID(8)])
    }

    /// A missing input is asked about (request-refresh-who-has); the answer's holders are
    /// tried, unless none is left but this worker or gone peers.
    @Test func aMissingInputIsAskedAbout() {
        let h = WorkerHarness()
        h.compute(9, inputs: [input(1, on: 7)])
        h.send(.fetchFailed(TaskID(1), from: WorkerID(7)))
        #expect(
            h.messages == [
                .missingData(TaskID(1), holder: WorkerID(7)), .requestRefreshWhoHas([TaskID(1)]),
            ])
        h.send(.peerGone(WorkerID(6)))
        h.send(.refreshWhoHas([input(1, on: 0, 6)]))
        #expect(h.state(1) == .missing)
        #expect(h.messages.isEmpty, "no news: it does not ask again at once")
        h.send(.refreshWhoHas([input(1, on: 6, 8)]))
        #expect(h.fetches.map(\.1) == [WorkerID(8)])
        h.send(.fetchSucceeded(TaskID(1), from: WorkerID(8), size: 64))
        #expect(h.executed == [TaskID(9)])
    }

    /// Scheduler priority first; among equals the most recent request runs first.
    @Test func executionOrder() {
        let h = WorkerHarness(threads: 1)
        h.compute(1)  // runs at once
        h.compute(2)
        h.compute(3)
        h.compute(4, priority: 5)
        h.send(.executionSucceeded(TaskID(1), outputSize: 1, duration: 1))
        #expect(h.executed == [TaskID(4)])
        h.send(.executionSucceeded(TaskID(4), outputSize: 1, duration: 1))
        #expect(h.executed == [TaskID(3)])
        h.send(.executionSucceeded(TaskID(3), outputSize: 1, duration: 1))
        #expect(h.executed == [TaskID(2)])
    }

    @Test func resourcesConstrainExecution() {
        let h = WorkerHarness(threads: 2, resources: ["GPU": 1])
        h.compute(1, resources: ["GPU": 1])
        h.compute(2, resources: ["GPU": 1])
        #expect(h.state(1) == .executing)
        #expect(h.state(2) == .constrained)
        h.compute(3)
        #expect(h.state(3) == .executing)
        h.send(.executionSucceeded(TaskID(1), outputSize: 1, duration: 1))
        #expect(h.executed == [TaskID(2)])
    }

    /// free-keys cannot stop an executing task: it becomes cancelled and its outcome is dropped.
    @Test func freeKeysWhileExecuting() {
        let h = WorkerHarness()
        h.compute(1)
        h.send(.freeKeys([TaskID(1)]))
        #expect(h.state(1) == .cancelled)
        #expect(h.worker.executingCount == 1, "the thread is still busy")
        h.send(.executionSucceeded(TaskID(1), outputSize: 1, duration: 1))
        #expect(h.messages.isEmpty)
        #expect(h.last.contains(.freeData(TaskID(1))))
        #expect(h.state(1) == .forgotten)
    }

    /// A new compute request for a cancelled execution resumes it under the new run id.
    @Test func computeResumesACancelledExecution() {
        let h = WorkerHarness()
        h.compute(1)
        h.send(.freeKeys([TaskID(1)]))
        let newRun = h.compute(1)
        #expect(h.state(1) == .executing)
        #expect(h.executed.isEmpty, "not started twice")
        h.send(.executionSucceeded(TaskID(1), outputSize: 1, duration: 1))
        #expect(h.messages == [.taskFinished(TaskID(1), run: newRun, outputSize: 1, duration: 1)])
    }

    /// Needed as an input while its cancelled execution runs: resumed(fetch); a success is
    /// announced as add-keys, a failure discarded in favour of fetching.
    @Test func cancelledExecutionNeededAsInput() {
        for succeeds in [true, false] {
            let h = WorkerHarness(threads: 2)
            h.compute(1)
            h.send(.freeKeys([TaskID(1)]))
            h.compute(2, inputs: [input(1, on: 7)])
            #expect(h.state(1) == .resumed)
            #expect(h.worker.task(TaskID(1))?.next == .fetch)
            if succeeds {
                h.send(.executionSucceeded(TaskID(1), outputSize: 1, duration: 1))
                #expect(h.messages.contains(.addKeys([TaskID(1)])))
                #expect(h.executed == [TaskID(2)])
            } else {
                h.send(.executionFailed(TaskID(1), failure: .boom))
                #expect(!h.messages.contains { if case .taskErred = $0 { true } else { false } })
                #expect(h.fetches.map(\.1) == [WorkerID(7)])
            }
        }
    }

    /// A worker whose fetch of task 1 (from worker 7, an input of task 9) is cancelled in
    /// flight: both tasks were freed while the transfer was under way.
    func cancelledFetch() -> WorkerHarness {
        let h = WorkerHarness()
        h.compute(9, inputs: [input(1, on: 7)])
        h.send(.freeKeys([TaskID(9), TaskID(1)]))
        #expect(h.state(1) == .cancelled)
        return h
    }

    /// A cancelled fetch whose task is then asked to be computed: resumed(waiting); if the
    /// data arrives it is the result, if not the task is computed here.
    @Test func computeRequestDuringACancelledFetch() {
        for arrives in [true, false] {
            let h = cancelledFetch()
            let run = h.compute(1)
            #expect(h.state(1) == .resumed)
            if arrives {
                h.send(.fetchSucceeded(TaskID(1), from: WorkerID(7), size: 64))
                #expect(
                    h.messages == [.taskFinished(TaskID(1), run: run, outputSize: 64, duration: 0)])
            } else {
                h.send(.fetchFailed(TaskID(1), from: WorkerID(7)))
                #expect(h.executed == [TaskID(1)])
            }
        }
    }

    /// A replica in flight that the worker is then asked to compute, from inputs of its own:
    /// an input that arrives while it is resumed counts once the fetch fails and it waits to
    /// be computed here (it was left waiting for it, forever).
    @Test func inputsThatArriveWhileResumedAreCounted() {
        let h = WorkerHarness()
        h.send(.acquireReplicas([input(5, on: 7)]))
        #expect(h.state(5) == .flight)
        h.compute(5, inputs: [input(1, on: 8), input(2, on: 8)])
        #expect(h.state(5) == .resumed)
        h.send(.fetchSucceeded(TaskID(1), from: WorkerID(8), size: 64))
        h.send(.fetchFailed(TaskID(5), from: WorkerID(7)))
        #expect(h.state(5) == .waiting)
        h.send(.fetchSucceeded(TaskID(2), from: WorkerID(8), size: 64))
        #expect(h.executed == [TaskID(5)])
    }

    /// A fetch cancelled in flight and then needed as data again (a replica to acquire, or an
    /// input of another task here): the transfer under way is the fetch, so the task is in
    /// flight again and keeps the data it brings (as resumed(fetch) it counted as executing,
    /// and the data was dropped).
    @Test func aCancelledFetchNeededAgainIsInFlightAgain() {
        for asInput in [false, true] {
            let h = cancelledFetch()
            if asInput {
                h.compute(10, inputs: [input(1, on: 7)])
            } else {
                h.send(.acquireReplicas([input(1, on: 7)]))
            }
            #expect(h.state(1) == .flight)
            h.send(.fetchSucceeded(TaskID(1), from: WorkerID(7), size: 64))
            #expect(h.state(1) == .memory)
            #expect(asInput ? h.executed == [TaskID(10)] : h.messages == [.addKeys([TaskID(1)])])
        }
    }

    @Test func stealRequests() {
        let h = WorkerHarness(threads: 1)
        h.compute(1)
        h.compute(2)
        h.send(.stealRequest(TaskID(2), steal: StealID(1)))
        #expect(h.messages == [.stealResponse(TaskID(2), state: .ready, steal: StealID(1))])
        #expect(h.state(2) == .forgotten)
        h.send(.stealRequest(TaskID(1), steal: StealID(2)))
        #expect(h.messages == [.stealResponse(TaskID(1), state: .executing, steal: StealID(2))])
        #expect(h.state(1) == .executing)
        h.send(.stealRequest(TaskID(5), steal: StealID(3)))
        #expect(h.messages == [.stealResponse(TaskID(5), state: nil, steal: StealID(3))])
    }

    @Test func pauseHoldsNewWork() {
        let h = WorkerHarness()
        h.send(.pause)
        h.compute(1)
        #expect(h.executed.isEmpty)
        h.send(.unpause)
        #expect(h.executed == [TaskID(1)])
    }

    @Test func acquiredReplicasAreAnnounced() {
        let h = WorkerHarness()
        h.send(.acquireReplicas([input(1, on: 7)]))
        #expect(h.fetches.map(\.1) == [WorkerID(7)])
        h.send(.fetchSucceeded(TaskID(1), from: WorkerID(7), size: 64))
        #expect(h.messages == [.addKeys([TaskID(1)])])
    }

    @Test func anErrorIsReportedWithItsRun() {
        let h = WorkerHarness()
        let run = h.compute(1)
        h.send(.executionFailed(TaskID(1), failure: .boom))
        #expect(h.state(1) == .error)
        #expect(h.messages == [.taskErred(TaskID(1), run: run, failure: .boom)])
    }

    @Test func freedDataNeededHereIsFetchedAgain() {
        let h = WorkerHarness(threads: 1)
        h.compute(5)  // occupies the only thread
        h.compute(2, inputs: [input(1, on: 7, 8)])
        h.send(.fetchSucceeded(TaskID(1), from: WorkerID(7), size: 64))
        #expect(h.state(2) == .ready)
        h.send(.freeKeys([TaskID(1)]))
        #expect(h.state(2) == .waiting)
        #expect(h.fetches.count == 1)
    }
}
