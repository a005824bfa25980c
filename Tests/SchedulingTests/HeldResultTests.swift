@testable import Scheduling
import Testing

/// A worker keeps a result nothing here needs as a small held result instead of its record
/// (see `WorkerTasks`). That is memory only: under random events, a worker that does so
/// decides exactly as one that keeps every record (an incremental invariant check on from the
/// start keeps them all).
@Suite struct HeldResultTests {
    static func worker() -> WorkerStateMachine {
        // A memory limit small enough that results spill and come back.
        WorkerStateMachine(
            id: WorkerID(0), threads: 2, memoryLimit: 6_000,
            memoryThresholds: MemoryThresholds(target: 0.6, spill: 0.7, pause: nil, terminate: nil))
    }

    /// What the test has the worker doing, from its commands: executions and fetches it may
    /// report the end of.
    struct Outstanding {
        var executing: [TaskID] = []
        var fetching: [(task: TaskID, peer: WorkerID)] = []

        mutating func absorb(_ commands: [WorkerCommand]) {
            for command in commands {
                switch command {
                case .execute(let task, _): executing.append(task)
                case .fetch(let tasks, let peer, _): fetching += tasks.map { ($0, peer) }
                default: break
                }
            }
        }
    }

    static func event(
        _ random: inout SeededGenerator, _ outstanding: inout Outstanding, run: UInt64
    ) -> WorkerEvent {
        func pick(_ bound: Int) -> Int { Int(random.next() % UInt64(bound)) }
        let task = TaskID(pick(200))
        switch pick(100) {
        case 0..<30:
            // Most tasks have no inputs (their results can be held); some read results of
            // tasks before them (the graph has no cycle), said to be on a peer.
            let inputs =
                task.int > 0 && pick(3) == 0
                ? Set((0..<(1 + pick(3))).map { _ in pick(task.int) }).sorted().map {
                    input($0, on: 1 + pick(2), size: 500)
                }
                : []
            return .compute(
                ComputeRequest(
                    worker: WorkerID(0), task: task, run: RunID(run),
                    priority: TaskPriority(negatedUser: -pick(3), generation: 0, sequence: pick(9)),
                    inputs: inputs, resources: []))
        case 30..<55 where !outstanding.executing.isEmpty:
            let done = outstanding.executing.remove(at: pick(outstanding.executing.count))
            return pick(10) == 0
                ? .executionFailed(done, failure: TaskFailure(kind: "Boom", message: "random"))
                : .executionSucceeded(done, outputSize: Int64(100 + pick(900)), duration: 5)
        case 55..<70 where !outstanding.fetching.isEmpty:
            let (done, peer) = outstanding.fetching.remove(at: pick(outstanding.fetching.count))
            return pick(5) == 0
                ? .fetchFailed(done, from: peer)
                : .fetchSucceeded(done, from: peer, size: Int64(100 + pick(900)))
        case 70..<80:
            return .freeKeys([task])
        case 80..<85:
            return .removeReplicas([task])
        case 85..<90:
            return .updateData(task, run: RunID(run), size: Int64(100 + pick(900)))
        case 90..<95:
            return .stealRequest(task, steal: StealID(run))
        default:
            return .acquireReplicas([input(pick(200), on: 1 + pick(2), size: 300)])
        }
    }

    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func holdingResultsChangesNoDecision(seed: UInt64) {
        var random = SeededGenerator(seed: seed)
        let holding = Self.worker()
        let keeping = Self.worker()
        _ = keeping.changedInvariantViolations()
        var outstanding = Outstanding()
        var heldSteps = 0
        for step in 0..<4_000 {
            let event = Self.event(&random, &outstanding, run: UInt64(step + 1))
            let commands = holding.handle(event)
            let expected = keeping.handle(event)
            #expect(commands == expected, "step \(step): \(event)")
            guard commands == expected else { return }
            outstanding.absorb(commands)
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
        let worker = Self.worker()
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
