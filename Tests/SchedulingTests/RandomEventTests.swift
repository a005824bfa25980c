import Scheduling
import Testing

/// Random event sequences, seeded: after every event the invariants hold and every
/// transition is legal (the harness checks both); once all work is delivered, every wanted
/// key is in memory or erred and nothing is left in flight.
@Suite struct RandomEventTests {
    /// A loose model of a cluster around the scheduler: it remembers what the scheduler asked
    /// for and answers, in a random order, sometimes late or twice.
    struct Cluster {
        var random: SeededGenerator
        var computes: [ComputeRequest] = []
        var steals: [(worker: WorkerID, task: TaskID, steal: StealID)] = []
        var live: [WorkerID] = []
        var nextWorker = 0
        var keys: [String] = []

        init(seed: UInt64) { random = SeededGenerator(seed: seed) }

        mutating func pick(_ bound: Int) -> Int { Int(random.next() % UInt64(bound)) }
        mutating func chance(_ percent: Int) -> Bool { pick(100) < percent }

        /// Takes in what the scheduler said.
        mutating func absorb(_ commands: [SchedulerCommand]) {
            for command in commands {
                switch command {
                case .compute(let request):
                    computes.append(request)
                case .freeKeys(let freed, let worker):
                    // Usually the worker drops the run; sometimes its result is already on
                    // the way and arrives anyway (a stale message).
                    if chance(80) {
                        computes.removeAll { freed.contains($0.task) && $0.worker == worker }
                    }
                case .stealRequest(let worker, let task, let steal):
                    steals.append((worker, task, steal))
                case .workerGone(let worker):
                    live.removeAll { $0 == worker }
                case .workerAdded(let worker, _):
                    live.append(worker)
                default:
                    break
                }
            }
        }

        mutating func newWorker() -> SchedulerEvent {
            defer { nextWorker += 1 }
            let gpu = nextWorker % 3 == 0
            return .workerAdded(
                WorkerSpec(
                    name: "w\(nextWorker)", threads: 1 + nextWorker % 3,
                    resources: gpu ? ["GPU": 1] : [:]))
        }

        mutating func newTasks() -> [KeyedSpec] {
            (0..<(1 + pick(6))).map { _ in
                let family = ["load", "map", "sum", "x"][pick(4)]
                let key = "\(family)-\(keys.count)"
                var dependencies: [String] = []
                if !keys.isEmpty {
                    for _ in 0..<pick(3) { dependencies.append(keys[pick(keys.count)]) }
                }
                keys.append(key)
                return KeyedSpec(
                    key: key, dependencies: dependencies, priority: pick(3), retries: pick(2),
                    resources: chance(10) ? ["GPU": 1] : [:],
                    workers: chance(10) ? ["w\(pick(max(nextWorker, 1)))"] : [],
                    allowOtherWorkers: true,
                    estimatedDuration: chance(50) ? Nanoseconds(1 + pick(1000)) * 1_000_000 : nil)
            }
        }

        /// A completion for one of the computes asked for, possibly stale.
        mutating func completion(finishing: Bool) -> SchedulerEvent? {
            guard !computes.isEmpty else { return nil }
            let request = computes.remove(at: pick(computes.count))
            if finishing || chance(70) {
                return .taskFinished(
                    request.task, worker: request.worker, run: request.run,
                    outputSize: Int64(1 + pick(1 << 20)), duration: Nanoseconds(1 + pick(1000)))
            }
            return .taskErred(
                request.task, worker: request.worker, run: request.run,
                failure: TaskFailure(kind: "ValueError", message: "random"))
        }
    }

    /// Drives a scheduler through `steps` random events from `seed`; returns the harness and
    /// the cluster model, with work possibly still in flight.
    static func randomRun(seed: Int, steps: Int = 600) -> (Harness, Cluster) {
        let h = Harness(
            policy: seed % 2 == 0 ? WorkStealingPolicy(interval: 10_000_000) : LocalityPolicy())
        var cluster = Cluster(seed: UInt64(seed))
        func send(_ event: SchedulerEvent) {
            h.now += Nanoseconds(cluster.pick(5_000_000))
            cluster.absorb(h.send(event))
        }
        for _ in 0..<3 { send(cluster.newWorker()) }

        for _ in 0..<steps {
            switch cluster.pick(100) {
            case 0..<35:
                if let event = cluster.completion(finishing: false) { send(event) }
            case 35..<50:
                let specs = cluster.newTasks()
                send(h.graphUpdate(specs))
            case 50..<55 where cluster.live.count < 6:
                send(cluster.newWorker())
            case 55..<59 where cluster.live.count > 1:
                send(
                    .workerRemoved(
                        cluster.live[cluster.pick(cluster.live.count)], expected: cluster.chance(30)
                    ))
            case 59..<64 where !cluster.keys.isEmpty:
                send(
                    .cancel(
                        client: h.client,
                        tasks: h.ids([cluster.keys[cluster.pick(cluster.keys.count)]]),
                        force: cluster.chance(50)))
            case 64..<68 where !cluster.keys.isEmpty:
                send(
                    .release(
                        client: h.client,
                        tasks: h.ids([cluster.keys[cluster.pick(cluster.keys.count)]])))
            case 68..<78 where !cluster.steals.isEmpty:
                let (worker, task, steal) = cluster.steals.remove(
                    at: cluster.pick(cluster.steals.count))
                let answers: [WorkerTaskReport?] = [
                    .ready, .waiting, .executing, .memory, .released, nil,
                ]
                send(
                    .stealResponse(
                        task, worker: worker, state: answers[cluster.pick(answers.count)],
                        steal: steal))
            case 78..<86:
                send(.tick)
            case 86..<92 where !cluster.computes.isEmpty:
                let request = cluster.computes[cluster.pick(cluster.computes.count)]
                send(.taskStarted(request.task, worker: request.worker, run: request.run))
            case 92..<96 where h.scheduler.taskCount > 0:
                // A message about a random task from a random worker with an old run.
                let task = TaskID(cluster.pick(h.scheduler.taskCount))
                let worker = WorkerID(cluster.pick(h.scheduler.workerCount))
                send(
                    .taskFinished(
                        task, worker: worker, run: RunID(UInt64(cluster.pick(50))), outputSize: 1,
                        duration: 1))
            default:
                if let event = cluster.completion(finishing: false) { send(event) }
            }
        }

        return (h, cluster)
    }

    @Test(arguments: 1...24)
    func invariantsHoldUnderRandomEvents(seed: Int) {
        var (h, cluster) = Self.randomRun(seed: seed)
        func send(_ event: SchedulerEvent) {
            h.now += Nanoseconds(cluster.pick(5_000_000))
            cluster.absorb(h.send(event))
        }
        // Deliver everything: a GPU worker exists, steals are answered, every compute finishes.
        send(.workerAdded(WorkerSpec(name: "final", threads: 2, resources: ["GPU": 1])))
        var rounds = 0
        while !cluster.computes.isEmpty || !cluster.steals.isEmpty, rounds < 100_000 {
            rounds += 1
            if let (worker, task, steal) = cluster.steals.popLast() {
                send(.stealResponse(task, worker: worker, state: .executing, steal: steal))
            } else if let event = cluster.completion(finishing: true) {
                send(event)
            }
        }
        #expect(cluster.computes.isEmpty, "seed \(seed): work still in flight")
        for stuck in [SchedulerTaskState.waiting, .queued, .noWorker, .processing] {
            #expect(h.scheduler.count(in: stuck) == 0, "seed \(seed): tasks left \(stuck)")
        }
        for index in 0..<h.scheduler.taskCount where !h.scheduler.wanters(of: TaskID(index)).isEmpty
        {
            let state = h.scheduler.state(of: TaskID(index))
            #expect(state == .memory || state == .erred, "seed \(seed): wanted task ended \(state)")
        }
    }
}
