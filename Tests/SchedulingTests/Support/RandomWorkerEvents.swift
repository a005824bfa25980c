import Scheduling

/// Seeded random events for one worker state machine, as its cluster could send them: compute
/// requests (a task's inputs are the same in every request for it, and come from tasks before
/// it), the ends of the executions and fetches the worker started (it is told of each once),
/// free-keys, replicas to drop or acquire, scattered data, steal requests, peers leaving, new
/// holders, pauses and secessions. Tasks are 0 to 199 (every fifth needs the worker's one GPU);
/// peers are workers 1 and 2.
struct RandomWorkerEvents {
    private var random: SeededGenerator
    /// Executions and fetches the worker started and has not heard the end of.
    private var executing: [TaskID] = []
    private var fetching: [(task: TaskID, peer: WorkerID)] = []
    private var step: UInt64 = 0

    init(seed: UInt64) { random = SeededGenerator(seed: seed) }

    /// A worker with one GPU and a memory limit small enough that results spill and come
    /// back; `variant` picks its threads (one to three), how many gathers it keeps in flight
    /// (one to four) and whether its memory pauses it.
    static func worker(variant: UInt64 = 1) -> WorkerStateMachine {
        WorkerStateMachine(
            id: WorkerID(0), threads: 1 + Int(variant % 3), resources: ["GPU": 1],
            fetchLimit: 1 + Int(variant % 4), memoryLimit: 6_000,
            memoryThresholds: MemoryThresholds(
                target: 0.6, spill: 0.7, pause: variant % 2 == 0 ? 0.8 : nil, terminate: nil))
    }

    /// Takes in what the worker started.
    mutating func absorb(_ commands: [WorkerCommand]) {
        for command in commands {
            switch command {
            case .execute(let task, _): executing.append(task)
            case .fetch(let tasks, let peer, _): fetching += tasks.map { ($0, peer) }
            default: break
            }
        }
    }

    private mutating func pick(_ bound: Int) -> Int { Int(random.next() % UInt64(bound)) }

    mutating func next() -> WorkerEvent {
        step += 1
        let task = TaskID(pick(200))
        switch pick(100) {
        case 0..<28:
            return .compute(
                ComputeRequest(
                    worker: WorkerID(0), task: task, run: RunID(step),
                    priority: TaskPriority(negatedUser: -pick(3), generation: 0, sequence: pick(9)),
                    inputs: Self.inputs(of: task).map { input($0, on: 1 + pick(2), size: 500) },
                    resources: task.int % 5 == 0 ? [ResourceAmount(name: "GPU", amount: 1)] : []))
        case 28..<52 where !executing.isEmpty:
            let done = executing.remove(at: pick(executing.count))
            return pick(10) == 0
                ? .executionFailed(done, failure: TaskFailure(kind: "Boom", message: "random"))
                : .executionSucceeded(done, outputSize: Int64(100 + pick(900)), duration: 5)
        case 52..<66 where !fetching.isEmpty:
            let (done, peer) = fetching.remove(at: pick(fetching.count))
            return pick(5) == 0
                ? .fetchFailed(done, from: peer)
                : .fetchSucceeded(done, from: peer, size: Int64(100 + pick(900)))
        case 66..<75:
            return .freeKeys([task])
        case 75..<79:
            return .removeReplicas([task])
        case 79..<83:
            return .updateData(task, run: RunID(step), size: Int64(100 + pick(900)))
        case 83..<87:
            return .stealRequest(task, steal: StealID(step))
        case 87..<92:
            return .acquireReplicas([input(task.int, on: 1 + pick(2), size: 300)])
        case 92..<94:
            return .refreshWhoHas([input(task.int, on: 1 + pick(2), size: 300)])
        case 94..<95:
            return .peerGone(WorkerID(1 + pick(2)))
        case 95..<97:
            return pick(2) == 0 ? .pause : .unpause
        case 97..<100 where !executing.isEmpty:
            return .secede(executing[pick(executing.count)], computeDuration: 3)
        default:
            return .freeKeys([task])
        }
    }

    /// A task's inputs: most tasks have none; some read results of tasks before them.
    static func inputs(of task: TaskID) -> [Int] {
        var random = SeededGenerator(seed: UInt64(task.int) &+ 1_000)
        func pick(_ bound: Int) -> Int { Int(random.next() % UInt64(bound)) }
        guard task.int > 0, pick(3) == 0 else { return [] }
        return Set((0..<(1 + pick(3))).map { _ in pick(task.int) }).sorted()
    }
}
