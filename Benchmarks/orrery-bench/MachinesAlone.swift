import Scheduling

/// The scheduler and the workers' state machines with nothing around them, on the same
/// independent tasks as the simulation's figure: no backend that carries out their commands
/// can be faster, so it is the floor the simulation's figure is shown beside.
///
/// The scheduler takes the graph and every result in the order sent (``SchedulerAlone``); each
/// compute request then goes to its worker's machine, which starts it and hears it succeed,
/// and the machine's task-finished message goes back to the scheduler.
enum MachinesAlone {
    /// The best rate, in tasks a second from submission to the last result, of `repetitions`
    /// runs of `count` independent tasks on `workers` one-thread workers.
    static func independentRate(count: Int, workers: Int, repetitions: Int = 3) -> Double {
        let specs = (0..<count).map { TaskSpec(id: TaskID($0), key: "job-\($0)") }
        var best = Double.infinity
        for _ in 0..<repetitions {
            let clock = ContinuousClock()
            let elapsed = clock.measure { run(specs, workers: workers) }
            best = min(best, seconds(elapsed))
        }
        return Double(count) / best
    }

    private static func run(_ specs: [TaskSpec], workers count: Int) {
        let scheduler = Scheduler(policy: PolicyRegistry.make("locality", seed: 1)!)
        let machines = (0..<count).map { WorkerStateMachine(id: WorkerID($0), threads: 1) }
        var commands: [SchedulerCommand] = []
        var workerCommands: [WorkerCommand] = []
        var messages: [WorkerMessage] = []
        var now: Nanoseconds = 0
        for index in 0..<count {
            scheduler.handle(
                .workerAdded(WorkerSpec(name: "w\(index)", threads: 1)), at: now, into: &commands)
        }
        scheduler.handle(
            .updateGraph(client: ClientID(0), tasks: specs, wanted: specs.map(\.id)), at: now,
            into: &commands)
        var requests: [ComputeRequest] = []
        var head = 0
        func take() {
            for command in commands {
                if case .compute(let request) = command { requests.append(request) }
            }
            commands.removeAll(keepingCapacity: true)
        }
        take()
        while head < requests.count {
            let request = requests[head]
            head += 1
            now += 1_000
            let machine = machines[request.worker.int]
            machine.handle(.compute(request), into: &workerCommands)
            machine.handle(
                .executionSucceeded(request.task, outputSize: 8, duration: 1_000_000),
                into: &workerCommands)
            for command in workerCommands {
                if case .send(let message) = command { messages.append(message) }
            }
            workerCommands.removeAll(keepingCapacity: true)
            for message in messages {
                scheduler.handle(message.event(from: request.worker), at: now, into: &commands)
            }
            messages.removeAll(keepingCapacity: true)
            take()
        }
        precondition(scheduler.count(in: .memory) == specs.count, "the graph did not complete")
    }
}
