import Cluster
import Foundation
import Scenarios
import Simulation
import Testing

/// A scenario from YAML text.
func inlineScenario(_ yaml: String, file: String = "inline.yaml") throws -> Scenario {
    try ScenarioLoader.load(yaml, file: file)
}

/// Ten tasks of which each run fails with probability 0.2: some seeds fail.
let flaky = """
    cluster: {workers: [{name: a, threads: 2}]}
    tasks: [{key: job, count: 10, duration: 10ms}]
    faults: [{fail_probability: 0.2, error: Flaky}]
    expect:
      - {future: job, status: finished}
      - {sometimes: {retries: {at_least: 100}}}
    """

@Suite struct ExplorationTests {
    /// Every seed of `scenarios/racy-data.yaml` ends: no hang, no invariant violation, and the
    /// scheduler's record of the data matches the workers' at the end. (Seed 17 hung before
    /// workers asked where a missing input lives; the sweep is short because the sanitized
    /// test run takes seconds a seed.)
    @Test func racyDataSweepsClean() throws {
        let scenario = try loadScenario(
            packageRoot.appendingPathComponent("scenarios/racy-data.yaml").path)
        let sweep = Exploration.run(scenario, seeds: Array(1...20), jobs: 2)
        #expect(sweep.failures.isEmpty, "\(sweep.failures.map(\.replay))")
    }

    /// Seceding tasks cancelled while they run, submitted again (the worker tells the
    /// scheduler in arrears), stolen, and lost with a killed worker: every machine's
    /// invariants hold on every seed, under swarm testing and under PCT.
    @Test(arguments: [false, true])
    func secedingUnderCancelsSweepsClean(pct: Bool) throws {
        let scenario = try loadScenario(
            packageRoot.appendingPathComponent(
                "Tests/ScenariosTests/Fixtures/secede-under-cancels.yaml"
            ).path)
        let sweep = Exploration.run(
            scenario, seeds: Array(1...100), jobs: 2, pct: pct ? 3 : nil, swarm: !pct)
        #expect(sweep.failures.isEmpty, "\(sweep.failures.map(\.replay))")
    }

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
        let scenario = try inlineScenario(flaky)
        let seeds = Exploration.seeds(from: 1, total: 40)
        let one = Exploration.run(scenario, seeds: seeds, jobs: 1)
        let three = Exploration.run(scenario, seeds: seeds, jobs: 3)
        #expect(!one.failures.isEmpty && one.failures.count < 40)
        #expect(one.failures.map(\.seed) == three.failures.map(\.seed))
        #expect(one.failures.map(\.traceHash) == three.failures.map(\.traceHash))
        #expect(one.determinismBugs.isEmpty && three.determinismBugs.isEmpty)
        let failure = one.failures[0]
        let replay = ScenarioRunner.simulate(
            scenario, seed: failure.seed, perturbation: .implied(by: failure.seed, of: scenario)
        ).0
        #expect(replay.traceHash == failure.traceHash && !replay.passed)
        #expect(one.groups.first?.signature == "future job is finished (was error)")
        #expect(one.groups.first?.count == one.failures.count)
    }

    /// A `sometimes:` expectation does not fail a run, but a sweep where it never held fails.
    @Test func sometimesIsJudgedOverTheSweep() throws {
        let scenario = try inlineScenario(flaky)
        let run = ScenarioRunner.simulate(
            scenario, seed: 3, perturbation: .implied(by: 3, of: scenario)
        ).0
        #expect(run.expectations[1].sometimes && !run.expectations[1].ok)
        let sweep = Exploration.run(scenario, seeds: Array(1...20), jobs: 2)
        #expect(sweep.sometimes == [.init(expectation: "sometimes: retries ≥ 100", seeds: 0)])
        #expect(sweep.failed)
        let seen = try inlineScenario(
            flaky.replacingOccurrences(
                of: "retries: {at_least: 100}", with: "future: job, status: finished"))
        let counted = Exploration.run(seen, seeds: Array(1...20), jobs: 2)
        #expect(counted.sometimes[0].seeds > 0 && counted.sometimes[0].seeds < 20)
    }

    /// Shards' JSON outputs merge into the sweep they split.
    @Test func mergedShardsAreTheWholeSweep() throws {
        let scenario = try inlineScenario(flaky)
        let whole = Exploration.run(scenario, seeds: Exploration.seeds(from: 1, total: 30), jobs: 2)
        let files = try (1...3).map { index in
            let shard = Exploration.run(
                scenario, seeds: Exploration.seeds(from: 1, total: 30, shard: index, of: 3), jobs: 1
            )
            return (
                "shard\(index).jsonl",
                try shard.jsonLines(shard: "\(index)/3").joined(separator: "\n")
            )
        }
        let merged = try Exploration.merge(files)
        #expect(merged.seedsRun == 30)
        #expect(merged.failures.map(\.seed) == whole.failures.map(\.seed))
        #expect(merged.failures.map(\.traceHash) == whole.failures.map(\.traceHash))
        #expect(merged.sometimes == whole.sometimes)
        #expect(merged.groups.map(\.signature) == whole.groups.map(\.signature))
        let broken = files + [("notes.txt", "a line of prose")]
        #expect(throws: ScenarioError.self) { try Exploration.merge(broken) }
        do {
            _ = try Exploration.merge(broken)
        } catch {
            #expect(error.description.hasPrefix("notes.txt:1:1: error:"))
        }
    }

    /// The file's own seed runs the nominal interleaving; other seeds draw message latencies
    /// within their bounds and fault times within theirs.
    @Test func otherSeedsArePerturbed() throws {
        let scenario = try inlineScenario(
            """
            cluster: {workers: [{name: a}, {name: b}]}
            network: {worker_latency: {uniform: [0ms, 10ms]}}
            tasks: [{key: job, duration: 1s}]
            faults: [{at: {uniform: [100ms, 900ms]}, slow: b, factor: 2, for: 1s}]
            expect: [{future: job, status: finished}]
            """)
        let nominal = ScenarioRunner.simulate(scenario).0
        #expect(nominal.makespan == 1_005_000_000, "the middle of the latency bounds")
        #expect(nominal.perturbation == .none)
        var makespans = Set<Int64>()
        var slowdowns = Set<Int64>()
        for seed: UInt64 in 2...12 {
            let (result, simulation) = ScenarioRunner.simulate(
                scenario, seed: seed, perturbation: .implied(by: seed, of: scenario))
            #expect(result.perturbation == .all)
            #expect((1_000_000_000...1_010_000_000).contains(result.makespan))
            makespans.insert(result.makespan)
            let slow = simulation.trace.records.first {
                $0.kind == .fault && $0.from == FaultCode.slow.rawValue
            }
            #expect(slow.map { (100_000_000...900_000_000).contains($0.time) } == true)
            slowdowns.insert(slow?.time ?? 0)
        }
        #expect(makespans.count > 3 && slowdowns.count > 3)
        // Whether a run is perturbed is its own option, whatever the seed.
        #expect(ScenarioRunner.simulate(scenario, seed: 5).0.perturbation == .none)
        #expect(ScenarioRunner.simulate(scenario, seed: 5).0.makespan == 1_005_000_000)
        let perturbed = ScenarioRunner.simulate(scenario, perturbation: .all).0
        #expect(perturbed.perturbation == .all && perturbed.traceHash != nominal.traceHash)
    }

    /// PCT ordering of ties: reproducible from the seed, different from random tie order,
    /// and it still finds a planted bug.
    @Test func pctOrdersTiesByEndpoint() throws {
        let scenario = try loadScenario(
            packageRoot.appendingPathComponent("scenarios/zoo/steal-without-confirmation.yaml")
                .path)
        var differs = false
        for seed: UInt64 in 2...20 {
            let perturbation = Perturbation.implied(by: seed, of: scenario, pct: 3)
            let pct = ScenarioRunner.simulate(scenario, seed: seed, perturbation: perturbation).0
            #expect(
                ScenarioRunner.simulate(scenario, seed: seed, perturbation: perturbation).0
                    .traceHash == pct.traceHash)
            // The replay command names the planted bug too, so it reproduces the run whatever
            // the command line changed.
            #expect(
                pct.perturbation.pctChangePoints == 3
                    && pct.replayCommand.hasSuffix(
                        "--pct 3 --bug broken-steal-without-confirmation")
            )
            differs =
                differs
                || ScenarioRunner.simulate(
                    scenario, seed: seed, perturbation: .implied(by: seed, of: scenario)
                ).0.traceHash != pct.traceHash
        }
        #expect(differs)
        let sweep = Exploration.run(scenario, seeds: Array(2...300), jobs: 2, pct: 3)
        #expect(
            !sweep.failures.isEmpty
                && sweep.failures[0].replay.hasSuffix(
                    "--pct 3 --bug broken-steal-without-confirmation")
        )
        #expect(
            Perturbation.implied(by: scenario.seed, of: scenario, pct: 3) == .none,
            "the file's seed")
    }

    /// Swarm testing: each seed keeps a subset of the fault kinds, not always the same.
    @Test func swarmSwitchesFaultKinds() throws {
        let scenario = try inlineScenario(
            """
            cluster: {workers: [{name: a}, {name: b}]}
            tasks: [{key: job, count: 4, duration: 1s}]
            faults:
              - {at: 100ms, kill: a}
              - {at: 0s, slow: b, factor: 2, for: 1s}
              - {fail_probability: 0.1, error: Flaky}
            expect: [{completes: true}]
            """)
        var kept = Set<[String]>()
        for seed: UInt64 in 1...30 {
            let result = ScenarioRunner.simulate(
                scenario, seed: seed, perturbation: .implied(by: seed, of: scenario), swarm: true
            ).0
            kept.insert(result.swarm ?? ["?"])
            #expect(
                result.swarm.map { Set($0).isSubset(of: ["kill", "slow", "fail_probability"]) }
                    == true)
            #expect(result.replayCommand.hasSuffix("--swarm"))
        }
        #expect(
            kept.count >= 5 && kept.contains([])
                && kept.contains(["kill", "slow", "fail_probability"]))
        #expect(ScenarioRunner.simulate(scenario, seed: 4).0.swarm == nil)
    }
}
