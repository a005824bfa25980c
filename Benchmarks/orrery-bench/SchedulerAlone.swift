import Scheduling

/// The scheduler with nothing around it: one update-graph event, then every compute request
/// finished in the order it was sent. No backend that routes each task through the scheduler
/// can be faster, so backend figures are shown beside it.
struct SchedulerAlone {
    /// Events the scheduler handled.
    var events: Int
    /// Seconds spent taking the graph.
    var submit: Double
    /// Seconds spent running it once taken.
    var execute: Double

    /// Runs `specs` to completion on `workers` workers of `threads` threads each.
    init(
        _ specs: [TaskSpec], wanted: [TaskID], workers: Int, threads: Int = 1,
        policy: String = "locality"
    ) {
        let clock = ContinuousClock()
        let scheduler = Scheduler(policy: PolicyRegistry.make(policy, seed: 1)!)
        var commands: [SchedulerCommand] = []
        // What a finish answers, not the request itself: a backend lets a request go once its
        // worker has it, and keeping a million alive here would slow the scheduler's
        // allocations for the driver's sake.
        var pending: [(task: TaskID, worker: WorkerID, run: RunID)] = []
        var head = 0
        var now: Nanoseconds = 0
        func absorb() {
            for command in commands {
                if case .compute(let request) = command {
                    pending.append((request.task, request.worker, request.run))
                }
            }
            commands.removeAll(keepingCapacity: true)
        }
        for index in 0..<workers {
            scheduler.handle(
                .workerAdded(WorkerSpec(name: "w\(index)", threads: threads)), at: now,
                into: &commands)
        }
        let submitted = clock.measure {
            scheduler.handle(
                .updateGraph(client: ClientID(0), tasks: specs, wanted: wanted), at: now,
                into: &commands)
        }
        let start = clock.now
        absorb()
        while head < pending.count {
            let request = pending[head]
            head += 1
            now += 1_000
            scheduler.handle(
                .taskFinished(
                    request.task, worker: request.worker, run: request.run, outputSize: 8,
                    duration: 1_000_000),
                at: now, into: &commands)
            absorb()
        }
        let executed = start.duration(to: clock.now)
        precondition(
            scheduler.count(in: .memory) == wanted.count, "the graph did not complete")
        events = scheduler.eventsHandled
        submit = seconds(submitted)
        execute = seconds(executed)
    }

    /// The best rate, in tasks a second from submission to the last result, of `repetitions`
    /// runs of independent tasks named `name-0`, `name-1`, ….
    static func independentRate(
        name: String, count: Int, workers: Int, threads: Int = 1, repetitions: Int = 3
    ) -> Double {
        let specs = (0..<count).map { TaskSpec(id: TaskID($0), key: "\(name)-\($0)") }
        var best = Double.infinity
        for _ in 0..<repetitions {
            let run = SchedulerAlone(
                specs, wanted: specs.map(\.id), workers: workers, threads: threads)
            best = min(best, run.submit + run.execute)
        }
        return Double(count) / best
    }
}
