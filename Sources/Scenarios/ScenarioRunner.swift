import Cluster
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
            checksInvariants: invariants == .everyEvent,
            keepsTrace: keepsTrace || scenario.readsTrace)
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
            if scenario.readsTrace {
                facts.trace = simulation.scheduler.entries(of: simulation.traceRecords)
            }
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
            if scenario.readsTrace {
                facts.trace = cluster.scheduler.entries(of: cluster.traceRecords)
            }
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
        result.errorKinds = timeline.errorKinds()
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

extension Sequence where Element: Hashable {
    /// The elements in order, each once.
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
