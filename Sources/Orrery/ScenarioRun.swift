import Foundation

/// One run of a scenario, with what a test asserts on.
public struct ScenarioRun: Sendable {
    /// Pass or fail, each expectation's verdict, the trace hash.
    public let result: RunResult
    /// The whole run by name, as `trace.jsonl` holds it.
    public let record: RunRecord
    /// Makespan, utilisation, queue wait, turnaround, transfers, retries, steals, …
    public let metrics: Metrics

    public var passed: Bool { result.passed }
    public var traceHash: String { result.traceHash }
    /// Each task's final status (`finished`, `error`, `cancelled`, …) by key.
    public var finalStates: [String: String] { result.finalStates }

    init(_ result: RunResult, _ cluster: some TracedCluster) {
        self.result = result
        record = RunRecord(result: result, cluster: cluster, finalStates: result.finalStates)
        metrics = Metrics(record)
    }

    /// Writes the run's report folder (trace, summaries, chart, page); returns the page.
    @discardableResult
    public func writeReport(to folder: URL) throws -> URL {
        try ReportWriter.write(record, to: folder)
    }
}

extension Scenario {
    /// Reads a scenario file; `policies` are policy names beyond the shipped ones it may use.
    public static func load(contentsOf path: String, policies: [PolicyFactory] = []) throws
        -> Scenario
    {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return try ScenarioLoader.load(
            text, file: path, policies: PolicyRegistry.names + policies.map(\.name))
    }

    /// Runs the scenario in simulation; `seed` and `policy` override the file's; `policies` adds
    /// policies beyond the shipped ones for `policy` (or the file) to name; `perturbation` says
    /// how the run departs from the nominal interleaving (not at all by default;
    /// `.implied(by: seed, of: scenario)` is what `orrery run --seed` does).
    public func run(
        seed: UInt64? = nil, policy: String? = nil, adding policies: [PolicyFactory] = [],
        perturbation: Perturbation = .none
    )
        -> ScenarioRun
    {
        let (result, simulation) = ScenarioRunner.simulate(
            self, seed: seed, policy: policy, policies: policies, perturbation: perturbation)
        return ScenarioRun(result, simulation)
    }

    /// Runs the scenario on real threads, as `orrery run --mode real` does: every modelled
    /// time is multiplied by `timeScale`, and the run's figures are wall-clock times divided
    /// by it. Threads interleave as they will, so two runs may differ; a run still busy after
    /// `timeout` is stopped and reported as a hang.
    public func runOnThreads(
        seed: UInt64? = nil, policy: String? = nil, adding policies: [PolicyFactory] = [],
        timeScale: Double = 1, timeout: Duration = .seconds(600)
    ) -> ScenarioRun {
        let (result, cluster) = ScenarioRunner.runOnThreads(
            self, seed: seed, policy: policy, policies: policies, timeScale: timeScale,
            timeout: timeout)
        return ScenarioRun(result, cluster)
    }
}
