@testable import Scheduling
import Testing

/// A worker keeps a result nothing here needs as a small held result instead of its record
/// (see `WorkerTasks`). That is memory only: under random events, a worker that does so
/// decides exactly as one that keeps every record (an incremental invariant check on from the
/// start keeps them all).
@Suite struct HeldResultTests {
    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func holdingResultsChangesNoDecision(seed: UInt64) {
        var events = RandomWorkerEvents(seed: seed)
        let holding = RandomWorkerEvents.worker(variant: seed)
        let keeping = RandomWorkerEvents.worker(variant: seed)
        _ = keeping.changedInvariantViolations()
        var heldSteps = 0
        for step in 0..<4_000 {
            let event = events.next()
            let commands = holding.handle(event)
            let expected = keeping.handle(event)
            #expect(commands == expected, "step \(step): \(event)")
            guard commands == expected else { return }
            events.absorb(commands)
            #expect(keeping.changedInvariantViolations().isEmpty)
            #expect(keeping.tasks.heldCount == 0)
            if holding.tasks.heldCount > 0 { heldSteps += 1 }
        }
        #expect(holding.heldTasks == keeping.heldTasks)
        #expect(holding.memoryInUse == keeping.memoryInUse)
        #expect(holding.spilledBytes == keeping.spilledBytes)
        // The full check reads the held results as the records they stand for.
        #expect(holding.invariantViolations().isEmpty)
        // Results were held after most events: the comparison covered the held form.
        #expect(heldSteps > 2_000)
    }

    @Test func aHeldResultIsReadAsItsRecord() {
        let worker = RandomWorkerEvents.worker()
        let run = RunID(7)
        _ = worker.handle(
            .compute(
                ComputeRequest(
                    worker: WorkerID(0), task: TaskID(3), run: run,
                    priority: TaskPriority(negatedUser: 0, generation: 0, sequence: 0),
                    inputs: [], resources: [])))
        _ = worker.handle(.executionSucceeded(TaskID(3), outputSize: 800, duration: 5))
        #expect(worker.tasks.heldCount == 1)
        let record = worker.task(TaskID(3))
        #expect(record?.state == .memory && record?.size == 800 && record?.run == run)
        // Reading it through the query leaves it held; the worker's own lookup takes it back.
        #expect(worker.tasks.heldCount == 1)
        #expect(worker.heldTasks == [TaskID(3)])
        _ = worker.handle(.freeKeys([TaskID(3)]))
        #expect(worker.state(of: TaskID(3)) == .forgotten)
        #expect(worker.tasks.heldCount == 0 && worker.memoryInUse == 0)
    }

    /// Freeing a held result does what freeing its record does, without making the record:
    /// the same commands, and its bytes leave the count they were in (here on disk, a result
    /// too big for the target alone being spilled as it arrives).
    @Test func aSpilledHeldResultIsFreedAsItsRecord() {
        func worker() -> WorkerStateMachine {
            WorkerStateMachine(
                id: WorkerID(0), threads: 1, memoryLimit: 1_000,
                memoryThresholds: MemoryThresholds(target: 0.6, spill: 0.7))
        }
        let holding = worker()
        let keeping = worker()
        _ = keeping.changedInvariantViolations()
        let request = ComputeRequest(
            worker: WorkerID(0), task: TaskID(3), run: RunID(1),
            priority: TaskPriority(negatedUser: 0, generation: 0, sequence: 0), inputs: [],
            resources: [])
        for event: WorkerEvent in [
            .compute(request), .executionSucceeded(TaskID(3), outputSize: 800, duration: 5),
        ] {
            #expect(holding.handle(event) == keeping.handle(event))
        }
        #expect(holding.tasks.heldCount == 1 && holding.isSpilled(TaskID(3)))
        #expect(holding.spilledBytes == 800 && holding.memoryInUse == 0)
        let freed = holding.handle(.freeKeys([TaskID(3)]))
        #expect(freed == keeping.handle(.freeKeys([TaskID(3)])))
        #expect(
            freed == [
                .transition(TaskID(3), from: .memory, to: .released), .freeData(TaskID(3)),
                .transition(TaskID(3), from: .released, to: .forgotten),
            ])
        #expect(holding.state(of: TaskID(3)) == .forgotten && holding.tasks.heldCount == 0)
        #expect(holding.spilledBytes == 0 && holding.memoryInUse == 0)
        #expect(holding.invariantViolations().isEmpty)
    }
}
