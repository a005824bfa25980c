import Foundation
import Scenarios
import Testing

@Suite struct ExplorationTests {
    @Test(arguments: [1, 3, 8])
    func shardsCoverTheRangeOnce(count: Int) {
        let all = (1...count).flatMap {
            Exploration.seeds(from: 100, total: 50, shard: $0, of: count)
        }
        #expect(all.sorted() == Array(100..<150))
        #expect(Set(all).count == all.count)
    }

    /// The same failures whatever the number of threads; a replay of a failing seed has the
    /// failing run's trace hash.
    @Test func sweepsAreReproducible() throws {
        let scenario = try loadScenario(
            packageRoot.appendingPathComponent("scenarios/race-r1-stale-steal-response.yaml").path)
        let seeds = Exploration.seeds(from: 1, total: 40)
        let one = Exploration.run(scenario, seeds: seeds, jobs: 1)
        let three = Exploration.run(scenario, seeds: seeds, jobs: 3)
        #expect(!one.failures.isEmpty, "this scenario's race does not happen for every seed")
        #expect(one.failures.map(\.seed) == three.failures.map(\.seed))
        #expect(one.failures.map(\.traceHash) == three.failures.map(\.traceHash))
        #expect(one.determinismBugs.isEmpty && three.determinismBugs.isEmpty)
        let failure = one.failures[0]
        let replay = ScenarioRunner.simulate(scenario, seed: failure.seed).0
        #expect(replay.traceHash == failure.traceHash && !replay.passed)
        #expect(one.groups.first?.signature == "steal_races ≥ 1")
        #expect(one.groups.first?.count == one.failures.count)
    }
}
