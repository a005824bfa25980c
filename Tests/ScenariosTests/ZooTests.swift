import Foundation
import Scenarios
@_spi(PlantedBugs) import Scheduling
import Simulation
import Testing

func zooFiles() -> [String] {
    let folder = packageRoot.appendingPathComponent("scenarios/zoo")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return names.filter { $0.hasSuffix(".yaml") }.sorted().map {
        folder.appendingPathComponent($0).path
    }
}

/// The bug zoo: each planted bug is found by a sweep, shrinks, and the correct scheduler
/// passes the same scenario for every seed tried.
@Suite struct ZooTests {
    @Test func everyPlantedBugHasAScenario() throws {
        let bugs = try zooFiles().compactMap { try loadScenario($0).scheduler.plantedBug }
        #expect(Set(bugs) == Set(PlantedBug.allCases))
    }

    @Test(arguments: zooFiles())
    func aSweepFindsTheBugAndShrinkingKeepsIt(path: String) throws {
        let scenario = try loadScenario(path)
        let sweep = Exploration.run(scenario, seeds: Array(1...300), jobs: 2)
        let failure = try #require(sweep.failures.first, "300 seeds never found the bug")
        #expect(sweep.determinismBugs.isEmpty)

        let outcome = try Shrinker.shrink(scenario, seed: failure.seed)
        #expect(outcome.signature == failure.signature)
        let before = outcome.before
        let after = outcome.after
        #expect(
            after.tasks + after.workers + after.faults < before.tasks + before.workers
                + before.faults)
        // The written file reproduces the same failure.
        let written = try ScenarioLoader.load(
            ScenarioWriter.yaml(outcome.scenario), file: "min.yaml")
        let replay = ScenarioRunner.simulate(
            written, seed: failure.seed, perturbation: .implied(by: failure.seed, of: written)
        ).0
        #expect(!replay.passed && Exploration.signature(of: replay) == failure.signature)
    }

    /// Checking invariants only at the end still sees a result left on a dead worker.
    @Test func invariantsAtTheEndSeeLastingDamage() throws {
        let scenario = try loadScenario(
            packageRoot.appendingPathComponent(
                "scenarios/zoo/accept-result-from-removed-worker.yaml"
            )
            .path)
        let everyEvent = Exploration.run(scenario, seeds: Array(1...300), jobs: 2)
        let atEnd = Exploration.run(scenario, seeds: Array(1...300), jobs: 2, invariants: .atEnd)
        #expect(!atEnd.failures.isEmpty)
        #expect(atEnd.failures.allSatisfy { $0.signature.contains("invariant violated") })
        #expect(Set(atEnd.failures.map(\.seed)).isSubset(of: everyEvent.failures.map(\.seed)))
    }

    /// A run an invariant stopped half-way, events still queued (a client action among them),
    /// frees its cluster and client once dropped: a sweep runs thousands of them.
    @Test func aStoppedRunIsFreed() throws {
        let path = packageRoot.appendingPathComponent(
            "scenarios/zoo/accept-result-from-removed-worker.yaml"
        ).path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let scenario = try inlineScenario(
            text + "client:\n  - {at: 0s, submit: all}\n  - {at: 100s, release: job-0}\n")
        let stopped = try #require(
            (UInt64(1)...300).first {
                !ScenarioRunner.simulate(
                    scenario, seed: $0, perturbation: .implied(by: $0, of: scenario)
                ).0.invariantViolations.isEmpty
            })
        weak var dropped: SimulatedCluster?
        do {
            let (result, simulation) = ScenarioRunner.simulate(
                scenario, seed: stopped, perturbation: .implied(by: stopped, of: scenario))
            #expect(!result.invariantViolations.isEmpty && simulation.now < 100_000_000_000)
            dropped = simulation
        }
        #expect(dropped == nil)
    }

    @Test(arguments: zooFiles())
    func theCorrectSchedulerPassesEverySeed(path: String) throws {
        var scenario = try loadScenario(path)
        scenario.scheduler.plantedBug = nil
        let sweep = Exploration.run(scenario, seeds: Array(1...300), jobs: 2)
        #expect(sweep.failures.isEmpty, "\(sweep.groups.map(\.signature))")
        #expect(!sweep.failed)
    }
}

/// Scenarios written back read as the same scenario: the same run, the same trace.
@Suite struct ScenarioWriterTests {
    @Test(arguments: shippedScenarioFiles() + zooFiles())
    func roundTrips(path: String) throws {
        let scenario = try loadScenario(path)
        let text = ScenarioWriter.yaml(scenario)
        let generated = try String(contentsOfFile: path, encoding: .utf8).contains("generate:")
        guard let reread = try? ScenarioLoader.load(text, file: path) else {
            #expect(generated, "\(path) did not read back:\n\(text)")
            return
        }
        #expect(ScenarioWriter.yaml(reread) == text)
        #expect(
            ScenarioRunner.simulate(reread).0.traceHash
                == ScenarioRunner.simulate(scenario).0.traceHash)
    }
}

/// Shrinking a scenario that scatters data keeps every scattered key with the action that
/// places it: dropping an action drops its data (and what depends only on it).
@Suite struct ScatterShrinkTests {
    @Test func dataGoesWithItsAction() throws {
        let text = """
            cluster:
              workers: [{name: a}, {name: b}]
            tasks:
              - {key: reader, deps: [model], duration: 10ms}
              - {key: side, deps: [other], duration: 10ms}
            client:
              - {scatter: [model], size: 1MB}
              - {scatter: [other], size: 1MB, workers: [b]}
              - {submit: all}
            expect:
              - {future: reader, status: cancelled}
            """
        let scenario = try ScenarioLoader.load(text, file: "scatter.yaml")
        let failed = ScenarioRunner.simulate(scenario).0
        #expect(!failed.passed)
        let outcome = try Shrinker.shrink(scenario, seed: scenario.seed)
        #expect(outcome.after.tasks < outcome.before.tasks)
        let scattered = Set(outcome.scenario.tasks.filter(\.scattered).map(\.key))
        var placed: Set<String> = []
        for case .scatter(let keys, _) in outcome.scenario.actions { placed.formUnion(keys) }
        #expect(placed == scattered)
        #expect(!scattered.contains("other"))
        let written = try ScenarioLoader.load(
            ScenarioWriter.yaml(outcome.scenario), file: "min.yaml")
        let replay = ScenarioRunner.simulate(written).0
        #expect(!replay.passed)
        #expect(Exploration.signature(of: replay) == Exploration.signature(of: failed))
    }
}
