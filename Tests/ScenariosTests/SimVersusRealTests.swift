import Foundation
import Scenarios
import Testing

/// Scenarios without timing races end the same on real threads as in simulation.
@Suite(.serialized) struct SimVersusRealTests {
    @Test(arguments: [
        "chain", "critical-path", "fan-out-fan-in", "fifo-round-robin", "gpu-resources",
        "least-loaded", "lost-result-recomputed", "partition", "pure-key-dedup", "random-policy",
        "retries", "slow-worker", "worker-memory",
    ])
    func sameFinalStates(name: String) throws {
        try expectSameFinalStates(
            packageRoot.appendingPathComponent("scenarios/\(name).yaml").path)
    }

    /// A scenario recorded from dask: its workers' warm-ups, handoffs and start gaps are
    /// timers of their own on threads.
    @Test func aRecordedDaskRunEndsTheSameOnThreads() throws {
        try expectSameFinalStates(
            packageRoot.appendingPathComponent(
                "Tests/ReportsTests/Fixtures/dask-map-reduce/scenario.yaml"
            ).path)
    }

    private func expectSameFinalStates(_ path: String) throws {
        let scenario = try loadScenario(path)
        let (simulated, _) = ScenarioRunner.simulate(scenario)
        // A scale that makes the real run last about a third of a second.
        let scale = 0.3 / max(Double(simulated.makespan) / 1e9, 0.01)
        let (real, _) = ScenarioRunner.runOnThreads(
            scenario, timeScale: scale, timeout: .seconds(60))
        #expect(real.mode == "real" && real.traceHash != simulated.traceHash)
        #expect(real.finalStates == simulated.finalStates)
        #expect(
            real.hang.isEmpty && real.invariantViolations.isEmpty,
            "\(real.hang) \(real.invariantViolations)")
    }
}
