import Scheduling
import Testing

/// Drives one worker state machine with scripted events, checking its invariants (all of them,
/// and those the event's changes touch) and the legality of every transition after each event.
final class WorkerHarness {
    let worker: WorkerStateMachine
    private(set) var last: [WorkerCommand] = []
    private var nextRun: UInt64 = 100

    init(
        threads: Int = 1, resources: [String: Double] = [:], fetchLimit: Int = 10,
        memoryLimit: Int64? = nil, memoryThresholds: MemoryThresholds = MemoryThresholds()
    ) {
        worker = WorkerStateMachine(
            id: WorkerID(0), threads: threads, resources: resources, fetchLimit: fetchLimit,
            memoryLimit: memoryLimit, memoryThresholds: memoryThresholds)
    }

    @discardableResult
    func send(_ event: WorkerEvent, sourceLocation: SourceLocation = #_sourceLocation)
        -> [WorkerCommand]
    {
        last = worker.handle(event)
        for command in last {
            if case .transition(let task, let from, let to) = command {
                #expect(
                    from.canTransition(to: to), "illegal \(from) → \(to) for \(task)",
                    sourceLocation: sourceLocation)
            }
        }
        let violations = worker.invariantViolations()
        #expect(violations.isEmpty, "\(violations)", sourceLocation: sourceLocation)
        let changed = worker.changedInvariantViolations()
        #expect(
            changed.isEmpty, "checking the changes only: \(changed)", sourceLocation: sourceLocation
        )
        return last
    }

    /// Asks the worker to compute task `index` under a fresh run.
    @discardableResult
    func compute(
        _ index: Int, priority: Int = 0, inputs: [ComputeRequest.Input] = [],
        resources: [String: Double] = [:]
    ) -> RunID {
        nextRun += 1
        let run = RunID(nextRun)
        send(
            .compute(
                ComputeRequest(
                    worker: WorkerID(0), task: TaskID(index), run: run,
                    priority: TaskPriority(negatedUser: -priority, generation: 0, sequence: 0),
                    inputs: inputs,
                    resources: resources.keys.sorted().map {
                        ResourceAmount(name: $0, amount: resources[$0]!)
                    })))
        return run
    }

    func state(_ index: Int) -> WorkerTaskState { worker.state(of: TaskID(index)) }

    var executed: [TaskID] {
        last.compactMap {
            if case .execute(let task, _) = $0 { return task }
            return nil
        }
    }

    /// Each fetched result with its peer, gather by gather.
    var fetches: [(TaskID, WorkerID)] {
        gathers.flatMap { gather in gather.tasks.map { ($0, gather.peer) } }
    }

    var gathers: [(tasks: [TaskID], peer: WorkerID, bytes: Int64)] {
        last.compactMap {
            if case .fetch(let tasks, let peer, let bytes) = $0 { return (tasks, peer, bytes) }
            return nil
        }
    }

    var messages: [WorkerMessage] {
        last.compactMap {
            if case .send(let message) = $0 { return message }
            return nil
        }
    }
}

func input(_ index: Int, on holders: Int..., size: Int64 = 64) -> ComputeRequest.Input {
    ComputeRequest.Input(task: TaskID(index), holders: holders.map(WorkerID.init), size: size)
}
