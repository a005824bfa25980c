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
        let scenario = try loadScenario(
            packageRoot.appendingPathComponent("scenarios/\(name).yaml").path)
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
