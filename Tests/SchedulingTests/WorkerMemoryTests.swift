import Scheduling
import Testing

/// dask's thresholds without spilling, for data that cannot be spilled.
let unspilled = MemoryThresholds(target: nil, spill: nil)

/// A worker's memory monitor (dask's `WorkerMemoryManager` and nanny): the data it holds
/// against its limit pauses it above the pause threshold and has it restarted above the
/// terminate threshold. Spilling is off here (see `SpillingTests`).
@Suite struct WorkerMemoryTests {
    /// Finishes task `index` (computed here) with a result of `size` bytes.
    private func hold(_ index: Int, size: Int64, on h: WorkerHarness) {
        h.compute(index)
        h.send(.executionSucceeded(TaskID(index), outputSize: size, duration: 1))
    }

    @Test func theDataHeldIsCounted() {
        let h = WorkerHarness(threads: 2)
        hold(1, size: 30, on: h)
        h.compute(3, inputs: [input(2, on: 7, size: 50)])
        h.send(.fetchSucceeded(TaskID(2), from: WorkerID(7), size: 50))
        #expect(h.worker.memoryInUse == 80)
        h.send(.executionSucceeded(TaskID(3), outputSize: 5, duration: 1))
        #expect(h.worker.memoryInUse == 85)
        h.send(.freeKeys([TaskID(1), TaskID(3)]))
        #expect(h.worker.memoryInUse == 50)
    }

    /// A result whose execution was let go is dropped: it never counts.
    @Test func aDroppedResultIsNotCounted() {
        let h = WorkerHarness(memoryLimit: 100, memoryThresholds: unspilled)
        h.compute(1)
        h.send(.freeKeys([TaskID(1)]))
        h.send(.executionSucceeded(TaskID(1), outputSize: 90, duration: 1))
        #expect(h.worker.memoryInUse == 0)
        #expect(!h.worker.isPaused)
    }

    @Test func aboveThePauseThresholdItPausesUntilDataIsFreed() {
        let h = WorkerHarness(memoryLimit: 100, memoryThresholds: unspilled)
        hold(1, size: 50, on: h)
        #expect(!h.worker.isPaused)
        let run = h.compute(2)
        h.send(.executionSucceeded(TaskID(2), outputSize: 31, duration: 1))
        // 81 % of the limit: the result is reported, then the pause.
        #expect(
            h.messages == [
                .taskFinished(TaskID(2), run: run, outputSize: 31, duration: 1),
                .statusChanged(paused: true),
            ])
        #expect(h.worker.isPaused)
        h.compute(3)
        #expect(h.executed.isEmpty)
        h.send(.freeKeys([TaskID(1)]))
        #expect(
            h.messages == [.statusChanged(paused: false), .taskStarted(TaskID(3), run: RunID(103))])
        #expect(h.executed == [TaskID(3)])
    }

    /// Exactly at the threshold is not above it, as dask compares.
    @Test func atThePauseThresholdItRuns() {
        let h = WorkerHarness(memoryLimit: 100, memoryThresholds: unspilled)
        hold(1, size: 80, on: h)
        #expect(!h.worker.isPaused)
    }

    /// A fetch that brings it over the threshold pauses it: no more fetches start.
    @Test func aFetchCanPauseIt() {
        let h = WorkerHarness(memoryLimit: 100, memoryThresholds: unspilled)
        h.compute(3, inputs: [input(1, on: 7, size: 90), input(2, on: 8, size: 5)])
        h.send(.fetchSucceeded(TaskID(1), from: WorkerID(7), size: 90))
        #expect(h.messages == [.addKeys([TaskID(1)]), .statusChanged(paused: true)])
        h.send(.fetchSucceeded(TaskID(2), from: WorkerID(8), size: 5))
        #expect(h.state(3) == .ready)
        #expect(h.executed.isEmpty)
    }

    /// A pause asked for and one for memory are one status for the scheduler: it hears of
    /// the first to start and the last to end.
    @Test func requestedAndMemoryPausesCombine() {
        let h = WorkerHarness(memoryLimit: 100, memoryThresholds: unspilled)
        h.send(.pause)
        #expect(h.messages == [.statusChanged(paused: true)])
        h.send(.updateData(TaskID(1), run: RunID(1), size: 90))
        #expect(!h.messages.contains(.statusChanged(paused: true)))
        h.send(.unpause)
        #expect(h.messages.isEmpty)
        #expect(h.worker.isPaused)
        h.send(.freeKeys([TaskID(1)]))
        #expect(h.messages == [.statusChanged(paused: false)])
    }

    @Test func aboveTheTerminateThresholdItAsksToBeRestarted() {
        let h = WorkerHarness(threads: 2, memoryLimit: 100, memoryThresholds: unspilled)
        h.compute(1)
        h.compute(2)
        h.send(.executionSucceeded(TaskID(1), outputSize: 96, duration: 1))
        #expect(h.last.last == .exceededMemory)
        #expect(h.worker.exceededMemory)
        // It dies holding the result: the scheduler never hears that the task finished.
        #expect(h.messages.isEmpty)
        // Nothing starts on a process about to die; it asks once.
        h.compute(3)
        h.send(.executionSucceeded(TaskID(2), outputSize: 1, duration: 1))
        #expect(h.executed.isEmpty)
        #expect(!h.last.contains(.exceededMemory))
    }

    @Test func thresholdsCanBeTurnedOff() {
        let h = WorkerHarness(
            memoryLimit: 100,
            memoryThresholds: MemoryThresholds(target: nil, spill: nil, pause: nil, terminate: nil))
        hold(1, size: 100, on: h)
        hold(2, size: 100, on: h)
        #expect(!h.worker.isPaused)
        #expect(!h.worker.exceededMemory)
        #expect(h.worker.memoryInUse == 200)
    }

    @Test func withoutALimitNothingHappens() {
        let h = WorkerHarness()
        hold(1, size: 1 << 40, on: h)
        #expect(!h.worker.isPaused)
        #expect(h.messages.count == 1)
    }
}

/// dask's `SpillBuffer` and the spilling half of its memory monitor: results move to disk,
/// least recently used first, and come back when an execution reads them.
@Suite struct SpillingTests {
    private func hold(_ index: Int, size: Int64, on h: WorkerHarness) {
        h.compute(index)
        h.send(.executionSucceeded(TaskID(index), outputSize: size, duration: 1))
    }

    private func spills(_ h: WorkerHarness) -> [TaskID] {
        h.last.compactMap { if case .spill(let task, _) = $0 { task } else { nil } }
    }

    /// Past 60 % the least recently used result goes to disk; the worker keeps it (it stays
    /// in memory for the scheduler) and does not pause, since only the bytes in memory count.
    @Test func pastTheTargetTheOldestResultSpills() {
        let h = WorkerHarness(memoryLimit: 100)
        hold(1, size: 30, on: h)
        hold(2, size: 25, on: h)
        #expect(spills(h).isEmpty)
        hold(3, size: 20, on: h)
        #expect(spills(h) == [TaskID(1)])
        #expect(h.worker.memoryInUse == 45 && h.worker.spilledBytes == 30)
        #expect(h.worker.state(of: TaskID(1)) == .memory)
        #expect(h.worker.task(TaskID(1))!.isSpilled)
        hold(4, size: 50, on: h)
        // 95 in memory: 2 (25) and 3 (20) go, oldest first, leaving 50.
        #expect(spills(h) == [TaskID(2), TaskID(3)])
        #expect(h.worker.memoryInUse == 50 && !h.worker.isPaused)
        h.send(.freeKeys([TaskID(1)]))
        #expect(h.worker.spilledBytes == 45)
    }

    /// A result larger than the target goes to disk as it arrives.
    @Test func aResultOverTheTargetGoesStraightToDisk() {
        let h = WorkerHarness(memoryLimit: 100)
        hold(1, size: 150, on: h)
        #expect(spills(h) == [TaskID(1)])
        #expect(h.worker.memoryInUse == 0 && !h.worker.exceededMemory)
    }

    /// An execution reads its spilled inputs back (an unspill before the execute), and what
    /// it touched counts as used most recently: the next spill takes another result.
    @Test func anExecutionReadsSpilledInputsBack() {
        let h = WorkerHarness(memoryLimit: 100)
        hold(1, size: 40, on: h)
        hold(2, size: 30, on: h)  // 70: 1 spills
        h.compute(3, inputs: [input(1, on: 0, size: 40)])
        #expect(h.last.contains(.unspill(TaskID(1), size: 40)))
        #expect(h.executed == [TaskID(3)])
        // 1 back makes 70: the least recently used is now 2.
        #expect(spills(h) == [TaskID(2)])
        #expect(h.worker.memoryInUse == 40 && h.worker.spilledBytes == 30)
    }

    /// Without a target, the monitor spills above `spill` until the data is under it.
    @Test func withoutATargetTheSpillThresholdActs() {
        let h = WorkerHarness(
            memoryLimit: 100, memoryThresholds: MemoryThresholds(target: nil, spill: 0.7))
        hold(1, size: 40, on: h)
        hold(2, size: 30, on: h)
        #expect(spills(h).isEmpty)  // 70 % is not above 70 %
        hold(3, size: 20, on: h)
        #expect(spills(h) == [TaskID(1)])
        #expect(h.worker.memoryInUse == 50)
    }
}
