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
}
