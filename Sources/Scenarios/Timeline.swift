import Cluster
import Futures
import Scheduling

/// The client side of a scenario run: submits, cancels and releases as the timeline says, and
/// remembers every key's final status.
final class Timeline {
    let scenario: Scenario
    let client: Client
    /// By task position in the scenario: the live future, else the shared state of a key the
    /// client released (for its last status) or cancelled and did not submit again.
    var futures: [ClientFuture<Int64>?]
    var releasedStates: [Future<Int64>?]
    var cancelledStates: [Future<Int64>?]
    /// Each task's position in the scenario, by key; looked up only.
    var taskIndex: [String: Int] = [:]
    /// Outcomes of the timeline's waits, by name.
    var waits: [String: WaitOutcome] = [:]

    /// Wall-clock time per unit of modelled time (1 in a simulation); wait timeouts scale by it.
    let timeScale: Double

    init(scenario: Scenario, client: Client, timeScale: Double = 1) {
        self.scenario = scenario
        self.client = client
        self.timeScale = timeScale
        futures = Array(repeating: nil, count: scenario.tasks.count)
        releasedStates = futures.map { _ in nil }
        cancelledStates = releasedStates
        taskIndex.reserveCapacity(scenario.tasks.count)
        for (index, task) in scenario.tasks.enumerated() { taskIndex[task.key] = index }
    }

    func perform(_ action: ClientAction) {
        switch action {
        case .submit(let keys, _): submit(keys)
        case .cancel(let keys, let force, _): cancel(keys, force: force)
        case .release(let keys, _): release(keys)
        case .scatter(let keys, _): scatter(keys)
        case .wait(let keys, let all, let timeout, let name, _):
            let watched = keys.compactMap { future(of: $0) }
            let result = Futures.wait(
                watched,
                timeout: timeout.map { .nanoseconds(Int64(saturating: Double($0) * timeScale)) },
                returnWhen: all ? .allCompleted : .firstCompleted)
            let satisfied = all ? result.notDone.isEmpty : !result.done.isEmpty
            waits[name] = WaitOutcome(
                done: result.done.count, total: watched.count, timedOut: !satisfied)
        }
    }

    /// Submits the keys and whatever they depend on that is not submitted yet, dependencies
    /// first, in one graph update.
    func submit(_ keys: [String]) {
        // Positions in the scenario, dependencies first; a task is taken once.
        var order: [Int] = []
        // Scattered data is never submitted: its scatter action placed it, or nothing did.
        var seen = scenario.tasks.map(\.scattered)
        for position in futures.indices where futures[position] != nil { seen[position] = true }
        func visit(_ key: String) {
            var stack: [(Int, Bool)] = [(taskIndex[key]!, false)]
            while let (current, expanded) = stack.popLast() {
                if expanded {
                    order.append(current)
                    continue
                }
                guard !seen[current] else { continue }
                seen[current] = true
                stack.append((current, true))
                for dependency in scenario.tasks[current].dependencies.reversed() {
                    let position = taskIndex[dependency]!
                    if !seen[position] { stack.append((position, false)) }
                }
            }
        }
        keys.forEach(visit)
        let graph = order.map { keyedTask(scenario.tasks[$0]) }
        for (position, future) in zip(order, client.submit(graph: graph, { _ in Int64(0) })) {
            adopt(future, at: position)
        }
    }

    /// The live future of a key, if any.
    private func future(of key: String) -> ClientFuture<Int64>? {
        taskIndex[key].flatMap { futures[$0] }
    }

    private func keyedTask(_ task: ScenarioTask) -> KeyedTask {
        KeyedTask(
            key: task.key, dependencies: task.dependencies,
            options: TaskOptions(
                priority: task.priority, retries: task.retries, resources: task.resources,
                workers: task.workers, allowOtherWorkers: task.allowOtherWorkers,
                model: WorkModel(
                    duration: task.duration, outputSize: task.outputSize,
                    spins: task.cpu ?? scenario.cpu, secedeAfter: task.secedeAfter),
                estimatedDuration: task.estimatedDuration,
                estimatedOutputSize: task.estimatedOutputSize))
    }

    /// Places the keys' data (each a zero, of its size, on its workers) and waits until it is
    /// there, as dask's `scatter` does.
    func scatter(_ keys: [String]) {
        let positions = keys.map { taskIndex[$0]! }
        let data = scenario.tasks[positions[0]]
        let placed = client.scatter(
            [Int64](repeating: 0, count: keys.count), keys: keys, size: data.outputSize,
            workers: data.workers)
        for (position, future) in zip(positions, placed) { adopt(future, at: position) }
    }

    /// A new live future for the task at `position`: what the key's earlier one became no
    /// longer counts.
    private func adopt(_ future: ClientFuture<Int64>, at position: Int) {
        futures[position] = future
        releasedStates[position] = nil
        cancelledStates[position] = nil
    }

    /// Cancels; a key whose future is now cancelled may be submitted again (a new future).
    func cancel(_ keys: [String], force: Bool) {
        client.cancel(keys.filter { future(of: $0) != nil }, force: force)
        for key in keys {
            guard let position = taskIndex[key], let future = futures[position],
                future.isCancelled
            else { continue }
            cancelledStates[position] = future.future
            futures[position] = nil
        }
    }

    func release(_ keys: [String]) {
        for key in keys {
            guard let position = taskIndex[key], let future = futures[position] else { continue }
            releasedStates[position] = future.future
            futures[position] = nil
        }
    }

    /// Every task's status, in the scenario's order.
    func statuses() -> [(key: String, status: String)] {
        scenario.tasks.indices.map { (scenario.tasks[$0].key, status(at: $0)) }
    }

    /// The kind of error each erred key's future holds (`KilledWorker`, `ValueError`, …).
    func errorKinds() -> [String: String] {
        var kinds: [String: String] = [:]
        for (position, future) in futures.enumerated() {
            guard let future, future.status == .error,
                let error = try? future.exception(timeout: .zero)
            else { continue }
            kinds[scenario.tasks[position].key] =
                (error as? TaskFailure)?.kind ?? String(describing: type(of: error))
        }
        return kinds
    }

    /// `finished`, `error`, …, `released` for a key the client released, `unsubmitted`.
    private func status(at position: Int) -> String {
        if let future = futures[position] { return future.status.rawValue }
        if let state = cancelledStates[position] { return state.status.rawValue }
        if releasedStates[position] != nil { return "released" }
        return "unsubmitted"
    }
}

/// How a wait of the client timeline ended.
struct WaitOutcome {
    var done: Int
    var total: Int
    var timedOut: Bool
}
