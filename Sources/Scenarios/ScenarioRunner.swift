import Cluster
import Futures
import Scheduling
import Simulation
import ThreadExecutor

/// Runs one scenario on one backend with one seed.
public enum ScenarioRunner {
    /// Runs `scenario` in simulation; `seed` and `policy` override the file's; `policies`
    /// adds policies beyond the shipped ones for either to name.
    ///
    /// `perturbation` says how the run departs from the nominal interleaving (none by
    /// default; ``Perturbation/implied(by:of:pct:)`` is the command line's rule, which perturbs
    /// every seed but the file's). With `swarm`, the seed also switches a random subset of the
    /// scenario's fault kinds off.
    ///
    /// `invariants` says when the machines' invariants are checked: after every event (the
    /// default), or once at the end, which is faster and misses what the run repaired. Without
    /// `keepsTrace` only the trace hash is kept (a sweep needs no more). A run past
    /// `eventLimit` events is stopped and fails.
    public static func simulate(
        _ scenario: Scenario, seed: UInt64? = nil, policy: String? = nil,
        policies: [PolicyFactory] = [], perturbation: Perturbation = .none,
        swarm: Bool = false,
        invariants: InvariantChecks = .everyEvent, keepsTrace: Bool = true,
        eventLimit: Int? = nil
    ) -> (RunResult, SimulatedCluster) {
        let clock = ContinuousClock()
        let start = clock.now
        let seed = seed ?? scenario.seed
        var configuration = SimulationConfiguration(
            seed: seed, policy: policy ?? scenario.policy,
            scheduler: scenario.scheduler,
            network: scenario.network, clientLatency: scenario.clientLatency,
            workerLatency: scenario.workerLatency, schedulerOverhead: scenario.overhead,
            deathDetectionDelay: scenario.detectionDelay,
            checksInvariants: invariants == .everyEvent, keepsTrace: keepsTrace)
        configuration.customPolicies = policies
        // About two dozen records a task (transitions on both sides, messages, execution).
        configuration.expectedTraceRecords = 24 * scenario.tasks.count
        configuration.clientJitter = scenario.clientJitter
        configuration.workerJitter = scenario.workerJitter
        configuration.batching = scenario.batching
        configuration.perturbation = perturbation
        configuration.eventLimit = eventLimit
        let faults = faults(of: scenario, seed: seed, swarm: swarm)
        let facts = RunFacts()
        let simulation = SimulatedCluster(
            configuration: configuration, workers: scenario.workers, faults: faults,
            observer: facts.observe)
        var result = run(scenario, on: simulation, mode: "sim", settings: configuration.cluster) {
            if invariants == .atEnd { simulation.checkAllInvariants() }
            facts.taskKeys = simulation.taskKeys
            return (simulation.failure, facts)
        }
        result.policyOverridden = policy != nil && policy != scenario.policy
        result.perturbation = configuration.perturbation
        result.swarm = swarm ? faults.map(\.kind).uniqued() : nil
        result.traceHash = simulation.trace.hash
        result.events = simulation.eventsProcessed
        result.wallSeconds = start.duration(to: clock.now).seconds
        return (result, simulation)
    }

    /// Runs `scenario` on real threads (see ``ThreadCluster``): modelled times are multiplied
    /// by `timeScale`, and a run still busy after `timeout` is stopped and reported as a hang.
    public static func runOnThreads(
        _ scenario: Scenario, seed: UInt64? = nil, policy: String? = nil,
        policies: [PolicyFactory] = [], timeScale: Double = 1,
        timeout: Duration = .seconds(600)
    ) -> (RunResult, ThreadCluster) {
        let clock = ContinuousClock()
        let start = clock.now
        var configuration = ThreadConfiguration(
            seed: seed ?? scenario.seed, policy: policy ?? scenario.policy,
            scheduler: scenario.scheduler, network: scenario.network,
            clientLatency: scenario.clientLatency, workerLatency: scenario.workerLatency,
            deathDetectionDelay: scenario.detectionDelay, timeScale: timeScale,
            materializesOutputs: true, checksInvariants: true)
        configuration.clientJitter = scenario.clientJitter
        configuration.workerJitter = scenario.workerJitter
        configuration.batching = scenario.batching
        configuration.customPolicies = policies
        let cluster = ThreadCluster(
            configuration: configuration, workers: scenario.workers,
            faults: faults(of: scenario, seed: configuration.seed, swarm: false))
        var result = run(
            scenario, on: cluster, mode: "real", settings: configuration.cluster,
            timeScale: timeScale, timeout: timeout
        ) {
            // Shut down only now: shutting down cancels what never finished.
            cluster.shutdown()
            let facts = RunFacts(records: cluster.traceRecords, taskKeys: cluster.taskKeys)
            return (cluster.failure, facts)
        }
        result.policyOverridden = policy != nil && policy != scenario.policy
        result.traceHash = cluster.traceHash
        result.events = cluster.eventsProcessed
        result.wallSeconds = start.duration(to: clock.now).seconds
        return (result, cluster)
    }

    /// Runs `scenario`'s client timeline on `backend` until the cluster is quiet (or
    /// `timeout` passes), reads every key's final status, and judges the run by the failure
    /// and facts `finish` gives once the statuses are read.
    static func run(
        _ scenario: Scenario, on backend: some ClusterBackend, mode: String,
        settings: ClusterSettings, timeScale: Double = 1, timeout: Duration? = nil,
        finish: () -> (RunFailure?, RunFacts)
    ) -> RunResult {
        let timeline = Timeline(scenario: scenario, client: Client(backend), timeScale: timeScale)
        for action in scenario.actions {
            guard backend.sleep(until: action.time) else { break }
            timeline.perform(action)
        }
        _ = backend.waitUntilQuiet(timeout: timeout)
        timeline.client.close()
        var result = RunResult(
            scenario: scenario, mode: mode, seed: settings.seed, policy: settings.policy,
            statuses: timeline.statuses())
        // A real run's expectations read its time scale.
        if mode == "real" { result.timeScale = timeScale }
        let (failure, facts) = finish()
        facts.waits = timeline.waits
        result.judge(scenario, failure: failure, facts: facts)
        withExtendedLifetime(timeline) {}
        return result
    }

    /// The scenario's faults for one seed: times given as bounds drawn from the seed, and,
    /// with `swarm`, only the fault kinds the seed switches on (each with probability ½).
    static func faults(of scenario: Scenario, seed: UInt64, swarm: Bool) -> [Fault] {
        var times = SeededGenerator(seed: seed).split(.faultTimes)
        var faults = scenario.faults.enumerated().map { index, fault in
            guard let range = scenario.faultTimes[index] else { return fault }
            let span = UInt64(range.upperBound - range.lowerBound) + 1
            return fault.starting(at: range.lowerBound + Nanoseconds(times.next() % span))
        }
        if swarm {
            var switches = SeededGenerator(seed: seed).split(.swarm)
            let on = Set(faults.map(\.kind).uniqued().filter { _ in switches.next() % 2 == 0 })
            faults = faults.filter { on.contains($0.kind) }
        }
        return faults
    }

    static func evaluate(
        _ expectation: Expectation, facts: RunFacts, status: (String) -> String, result: RunResult
    ) -> ExpectationResult {
        let verdict: (Bool, String)
        var failure = expectation.text
        switch expectation.check {
        case .status(let keys, _, let wanted):
            let wrong = keys.filter { status($0) != wanted }
            let found = Set(wrong.map(status)).sorted()
            if !found.isEmpty { failure += " (was \(found.joined(separator: "/")))" }
            verdict = (
                wrong.isEmpty,
                wrong.isEmpty
                    ? "all \(keys.count) \(wanted)"
                    : wrong.prefix(5).map { "\($0) is \(status($0))" }.joined(separator: ", ")
                        + (wrong.count > 5 ? ", … (\(wrong.count) in all)" : "")
            )
        case .makespan(let below, let above, let realSlack):
            // A real run's slack is wall-clock time: in model time, it grows as the scale shrinks.
            let slack =
                result.timeScale.map { scale in
                    Nanoseconds(saturating: Double(realSlack ?? 0) / scale)
                } ?? 0
            let ok =
                below.map { facts.makespan < $0.saturatingAdd(slack) } ?? true
                && above.map { facts.makespan > $0 - slack } ?? true
            verdict = (
                ok,
                "makespan \(formatDuration(facts.makespan))"
                    + (slack > 0
                        ? " (bounds widened by \(formatDuration(slack)) of model time)" : "")
            )
        case .count(let counter, let atLeast, let atMost):
            let value = facts.count(counter)
            let ok = atLeast.map { value >= $0 } ?? true && atMost.map { value <= $0 } ?? true
            verdict = (ok, "\(counter.rawValue) = \(value)")
        case .noDuplicateExecution:
            let duplicated = facts.duplicatedTasks
            verdict = (
                duplicated.isEmpty,
                duplicated.isEmpty
                    ? "none"
                    : "ran more often than needed: \(duplicated.prefix(5).joined(separator: ", "))"
            )
        case .noInvariantViolations:
            verdict = (
                result.invariantViolations.isEmpty, result.invariantViolations.first ?? "none"
            )
        case .completes:
            verdict =
                if let stopped = result.stopped {
                    (false, "stopped: \(stopped)")
                } else {
                    (
                        result.hang.isEmpty,
                        result.hang.isEmpty
                            ? "completed"
                            : "hang: \(result.hang.prefix(5).joined(separator: ", "))"
                    )
                }
        case .waitTimedOut(let name, let expected):
            let outcome = facts.waits[name]
            verdict = (
                outcome?.timedOut == expected,
                outcome.map {
                    "\($0.done) of \($0.total) done" + ($0.timedOut ? ", timed out" : "")
                }
                    ?? "the wait never ran"
            )
        case .finishesBefore(let first, let second):
            switch (facts.lastFinish(first), facts.lastFinish(second)) {
            case (let a?, let b?):
                verdict = (
                    a < b, "\(first) at \(formatDuration(a)), \(second) at \(formatDuration(b))"
                )
            default:
                verdict = (false, "\(first) or \(second) never finished")
            }
        }
        return ExpectationResult(
            expectation: expectation.text, ok: verdict.0, detail: verdict.1,
            sometimes: expectation.sometimes, failure: failure)
    }
}

extension Perturbation {
    /// The command line's rule: the scenario's own seed gives the nominal run; any other seed
    /// puts same-time events in its own order (or PCT-style, with `pct` change points) and
    /// draws latencies within their bounds, so a sweep of seeds explores interleavings.
    public static func implied(by seed: UInt64, of scenario: Scenario, pct: Int? = nil)
        -> Perturbation
    {
        seed == scenario.seed
            ? .none : Perturbation(shufflesTies: true, jittersLatency: true, pctChangePoints: pct)
    }
}

/// When a run checks the machines' invariants.
public enum InvariantChecks: String, Sendable, CaseIterable {
    /// After every event, on the machines it changed: a violation stops the run where it
    /// happened.
    case everyEvent = "every-event"
    /// Once, when the run is over: faster, and blind to what the run broke and repaired.
    case atEnd = "end"
}

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
                    spins: task.cpu ?? scenario.cpu)))
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

/// Facts about a run, gathered from its trace records as they are recorded (so a sweep need
/// not keep them), or from a finished trace.
final class RunFacts {
    var waits: [String: WaitOutcome] = [:]
    var makespan: Nanoseconds = 0
    var executions = 0
    var steals = 0
    var transfers = 0
    var cancellations = 0
    var staleMessages = 0
    var stealRaces = 0
    var staleStealResponses = 0
    /// What the run did with each task, by task index (ids are dense).
    private var tasks: [TaskFacts] = []
    private var startedTasks = 0
    /// Names the tasks; set once the run is over.
    var taskKeys: SharedTaskKeys?

    private struct TaskFacts {
        var started = false
        /// Successful executions, and re-runs the scheduler allowed (it let go of the task).
        var successes = 0
        var reruns = 0
        var lastFinish: Nanoseconds?
    }

    private enum NoteKind { case steal, stale, stealRefused, staleStealResponse, other }

    /// What each note counts as, by its code.
    private static let noteKinds: [NoteKind] = Note.allCases.map { note in
        switch note {
        case .stealConfirmed: .steal
        case .fromRemovedWorker, .notProcessing, .staleRun, .finishedWhileWaiting: .stale
        case .stealRefused: .stealRefused
        case .stealAlreadyAborted, .stealStaleResponse: .staleStealResponse
        default: .other
        }
    }

    init() {}

    convenience init(records: [TraceRecord], taskKeys: SharedTaskKeys) {
        self.init()
        for record in records { observe(record) }
        self.taskKeys = taskKeys
    }

    func observe(_ record: TraceRecord) {
        switch record.kind {
        case .executionStarted:
            executions += 1
            if !tasks[slot(record.task)].started {
                tasks[slot(record.task)].started = true
                startedTasks += 1
            }
        case .executionEnded:
            makespan = max(makespan, record.time)
            if record.from == 1 {
                tasks[slot(record.task)].successes += 1
                tasks[slot(record.task)].lastFinish = record.time
            }
        case .transferEnded where record.from == 1:
            transfers += 1
        case .note:
            switch Self.noteKinds[Int(record.from)] {
            case .steal: steals += 1
            case .stale: staleMessages += 1
            case .stealRefused: stealRaces += 1
            case .staleStealResponse:
                stealRaces += 1
                staleStealResponses += 1
            case .other: break
            }
        case .futureStatus where record.from == 3:
            cancellations += 1
        case .schedulerTransition
        where record.to == SchedulerTaskState.released.rawValue
            && (record.from == SchedulerTaskState.processing.rawValue
                || record.from == SchedulerTaskState.memory.rawValue):
            tasks[slot(record.task)].reruns += 1
        default:
            break
        }
    }

    /// The task's position in `tasks`, which grows to hold it.
    private func slot(_ task: Int32) -> Int {
        let index = Int(task)
        if index >= tasks.count {
            tasks += repeatElement(TaskFacts(), count: index + 1 - tasks.count)
        }
        return index
    }

    func count(_ counter: Expectation.Counter) -> Int {
        switch counter {
        case .retries: executions - startedTasks
        case .steals: steals
        case .transfers: transfers
        case .executions: executions
        case .cancellations: cancellations
        case .staleMessages: staleMessages
        case .stealRaces: stealRaces
        case .staleStealResponses: staleStealResponses
        }
    }

    /// Tasks that completed successfully more often than they were needed: once, plus once
    /// for each time the scheduler let go of them (lost data, a dead worker, a retry).
    var duplicatedTasks: [String] {
        tasks.indices.compactMap { task in
            tasks[task].successes > 1 + tasks[task].reruns
                ? taskKeys!.key(of: TaskID(task)) : nil
        }
    }

    func lastFinish(_ key: String) -> Nanoseconds? {
        taskKeys!.id(of: key).flatMap {
            $0.int < tasks.count ? tasks[$0.int].lastFinish : nil
        }
    }
}

extension Sequence where Element: Hashable {
    /// The elements in order, each once.
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
