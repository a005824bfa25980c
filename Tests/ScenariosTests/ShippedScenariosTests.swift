import Foundation
import Scenarios
import Testing

/// Where the package's files are, from this file's place in it.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

func shippedScenarioFiles() -> [String] {
    let folder = packageRoot.appendingPathComponent("scenarios")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return names.filter { $0.hasSuffix(".yaml") }.sorted().map {
        folder.appendingPathComponent($0).path
    }
}

func loadScenario(_ path: String) throws -> Scenario {
    try ScenarioLoader.load(String(contentsOfFile: path, encoding: .utf8), file: path)
}

/// A proof test's two runs: the shipped scenario `name` as it is, then with `change` taking
/// the feature it shows away.
func runWithAndWithout(_ name: String, _ change: (inout Scenario) -> Void) throws -> (
    with: RunResult, without: RunResult
) {
    var scenario = try loadScenario(
        packageRoot.appendingPathComponent("scenarios/\(name).yaml").path)
    let with = ScenarioRunner.simulate(scenario).0
    change(&scenario)
    return (with, ScenarioRunner.simulate(scenario).0)
}

extension RunResult {
    /// The expectations the run failed, in words.
    var failedExpectations: [String] { expectations.filter { !$0.ok }.map(\.expectation) }
}

@Suite struct ShippedScenariosTests {
    @Test func atLeastFifteenAreShipped() {
        #expect(shippedScenarioFiles().count >= 15)
    }

    /// Every shipped scenario passes its own expectations (what `make run` shows).
    @Test(arguments: shippedScenarioFiles())
    func passes(path: String) throws {
        let scenario = try loadScenario(path)
        #expect(!scenario.expectations.isEmpty, "\(path) expects nothing")
        let (result, _) = ScenarioRunner.simulate(scenario)
        #expect(
            result.passed,
            "\(result.expectations.filter { !$0.ok }) \(result.hang) \(result.invariantViolations.prefix(3))"
        )
    }

    /// Locality beats least-loaded where data is big: the shuffle scenario fails under
    /// least-loaded, so its expectation really depends on the policy.
    @Test func localityScenarioDependsOnThePolicy() throws {
        let scenario = try loadScenario(
            packageRoot.appendingPathComponent("scenarios/locality-shuffle.yaml").path)
        #expect(ScenarioRunner.simulate(scenario).0.passed)
        #expect(!ScenarioRunner.simulate(scenario, policy: "least-loaded").0.passed)
    }

    /// The same scenario and seed give the same trace hash in this process and another.
    @Test(arguments: ["steal-versus-finish", "scatter"])
    func sameScenarioSameTraceInAnotherProcess(name: String) async throws {
        let path = packageRoot.appendingPathComponent("scenarios/\(name).yaml").path
        let hash = ScenarioRunner.simulate(try loadScenario(path)).0.traceHash
        #expect(ScenarioRunner.simulate(try loadScenario(path)).0.traceHash == hash)
        let scenario = try loadScenario(path)
        #expect(
            ScenarioRunner.simulate(
                scenario, seed: 8, perturbation: .implied(by: 8, of: scenario)
            ).0.traceHash != hash)
        await #expect(processExitsWith: .success) {
            [hash = hash as String, path = path as String] in
            let again = ScenarioRunner.simulate(try! loadScenario(path)).0.traceHash
            exit(again == hash ? EXIT_SUCCESS : EXIT_FAILURE)
        }
    }
}

/// The race scenarios force their interleaving with holds: without them the race happens in
/// no seed of a sweep, so the scenario's "sometimes: the race happened" expectation, which
/// names the outcome only that race produces, is met by no seed.
@Suite struct RaceScenarioTests {
    @Test(arguments: [
        ("race-r1-stale-steal-response", "steals_stale"),
        ("race-r4-stale-result", "stale_messages"),
        ("race-r12-lost-dependency", "stale_messages"),
    ])
    func theHoldIsWhatMakesTheRace(name: String, outcome: String) throws {
        var scenario = try loadScenario(
            packageRoot.appendingPathComponent("scenarios/\(name).yaml").path)
        let held = ScenarioRunner.simulate(scenario).0
        #expect(held.passed && held.expectations.allSatisfy(\.ok))
        #expect(
            held.expectations.contains { $0.sometimes && $0.expectation.contains(outcome) })
        scenario.faults.removeAll {
            if case .hold = $0 { return true }
            return false
        }
        let sweep = Exploration.run(scenario, seeds: Array(1...100), jobs: 2)
        #expect(sweep.groups.isEmpty, "the scheduler copes either way")
        let race = sweep.sometimes.filter { $0.expectation.contains(outcome) }
        #expect(!race.isEmpty && race.allSatisfy { $0.seeds == 0 }, "\(race)")
    }
}

/// A held gather-dep outcome is what makes the fetch fail: without the hold the transfer
/// ends before the holder dies, and the input is not computed again.
@Suite struct HeldFetchOutcomeTests {
    @Test func theHoldIsWhatMakesTheFetchFail() throws {
        var scenario = try loadScenario(
            packageRoot.appendingPathComponent("scenarios/held-fetch-outcome.yaml").path)
        #expect(ScenarioRunner.simulate(scenario).0.passed)
        scenario.faults.removeAll {
            if case .hold = $0 { return true }
            return false
        }
        let unheld = ScenarioRunner.simulate(scenario).0
        #expect(
            unheld.expectations.filter { !$0.ok }.map(\.expectation) == [
                "executions ≥ 3 ≤ 3", "transfers ≥ 0 ≤ 0",
            ])
    }
}

/// `estimate:` reaches the scheduler: critical-path plans with the durations it is told.
@Suite struct EstimateTests {
    @Test func criticalPathPlansWithTheEstimates() throws {
        var scenario = try loadScenario(
            packageRoot.appendingPathComponent("scenarios/critical-path-estimates.yaml").path)
        #expect(scenario.tasks.allSatisfy { $0.estimatedDuration != nil })
        #expect(ScenarioRunner.simulate(scenario).0.makespan == 4_000_000_000)
        for index in scenario.tasks.indices { scenario.tasks[index].estimatedDuration = nil }
        #expect(ScenarioRunner.simulate(scenario).0.makespan == 5_000_000_000)
    }

    /// A shrunk or rewritten scenario keeps its estimates.
    @Test func estimatesSurviveWritingTheScenarioBack() throws {
        let scenario = try ScenarioLoader.load(
            """
            cluster: {workers: [{name: a}]}
            tasks: [{key: t, duration: 1s, estimate: {duration: 2s, output: 1KB}}]
            """, file: "estimate.yaml")
        let again = try ScenarioLoader.load(ScenarioWriter.yaml(scenario), file: "again.yaml")
        #expect(again.tasks[0].estimatedDuration == 2_000_000_000)
        #expect(again.tasks[0].estimatedOutputSize == 1_000)
    }

    /// A shrunk or rewritten scenario keeps its workers' warm-up, handoff and start gap.
    @Test func workerOverheadsSurviveWritingTheScenarioBack() throws {
        let scenario = try ScenarioLoader.load(
            """
            cluster:
              workers:
                - {name: a, first_task_delay: 18ms, handoff: 1ms}
                - {name: b, handoff: {lognormal: {mu: -7, sigma: 0.5}}, start_gap: 400us}
                - {name: c}
            tasks: [{key: t, duration: 1s}]
            """, file: "overheads.yaml")
        let again = try ScenarioLoader.load(ScenarioWriter.yaml(scenario), file: "again.yaml")
        #expect(again.workers.map(\.firstTaskDelay) == [18_000_000, 0, 0])
        #expect(
            again.workers.map(\.handoff) == [
                .fixed(1_000_000), .lognormal(mu: -7, sigma: 0.5), .fixed(0),
            ])
        #expect(again.workers.map(\.startGap) == [.fixed(0), .fixed(400_000), .fixed(0)])
    }
}

/// A key scattered, released and scattered again at once: every seed's interleaving of the
/// release and the new data ends with the new generation in place. (When the data, an RPC in
/// dask, could overtake the release on the client's stream or the scheduler's free-keys on the
/// worker's, about half of these seeds lost the new data or hung.)
@Suite struct RescatterTests {
    @Test func aNewGenerationSurvivesTheOldOnesRelease() throws {
        let scenario = try loadScenario(
            packageRoot.appendingPathComponent("scenarios/rescatter.yaml").path)
        let sweep = Exploration.run(scenario, seeds: Array(1...300), jobs: 2)
        #expect(sweep.groups.isEmpty, "\(sweep.groups.map(\.signature))")
    }
}

/// The scheduler learns the links' bandwidth from the workers' heartbeats, and a placement
/// follows what it learned.
@Suite struct LearnedBandwidthScenarioTests {
    @Test func learningIsWhatKeepsTheTaskBesideItsInput() throws {
        let runs = try runWithAndWithout("learned-bandwidth") {
            $0.scheduler.learnsBandwidth = false
        }
        #expect(runs.with.passed)
        #expect(
            runs.without.failedExpectations == [
                "execute task use on a occurs ≥ 1", "makespan below 18s",
            ])
    }
}

/// Spilling is what keeps the full worker running: without it the fifth result passes the
/// terminate threshold and the worker is restarted until the task errs.
@Suite struct SpillingScenarioTests {
    @Test func spillingIsWhatKeepsTheWorkerAlive() throws {
        let runs = try runWithAndWithout("spilling") {
            $0.workers[0].memoryThresholds.target = nil
            $0.workers[0].memoryThresholds.spill = nil
        }
        #expect(runs.with.passed)
        #expect(
            runs.without.failedExpectations == [
                "future total is finished", "spill on a occurs ≥ 2",
                "unspill task part-0 occurs ≥ 1 after spill task part-0",
                "never fault from memory", "makespan above 999ms below 1.1s",
            ])
    }
}

/// The memory manager is what frees the paused worker: without it the run hangs.
@Suite struct MemoryManagerScenarioTests {
    @Test func theMemoryManagerIsWhatUnpausesTheWorker() throws {
        let runs = try runWithAndWithout("memory-manager") {
            $0.scheduler.memoryManagerInterval = nil
        }
        #expect(runs.with.passed)
        #expect(!runs.without.hang.isEmpty)
        #expect(
            runs.without.failedExpectations == [
                "future z is finished",
                "task x message remove-replicas from scheduler to b occurs ≥ 1 ≤ 1",
                "makespan above 2s below 2.2s",
            ])
    }
}

/// Seceding is what lets the queued jobs run beside the service.
@Suite struct SecedeScenarioTests {
    @Test func secedingIsWhatFreesTheThread() throws {
        let runs = try runWithAndWithout("secede") { scenario in
            for index in scenario.tasks.indices { scenario.tasks[index].secedeAfter = nil }
        }
        #expect(runs.with.passed && runs.with.makespan == 5_000_000_000)
        #expect(runs.without.makespan == 9_000_000_000)
        #expect(
            runs.without.failedExpectations == [
                "task service message long-running from a to scheduler occurs ≥ 1 ≤ 1",
                "execute task job-0 occurs ≥ 1 after secede task service",
                "makespan below 5.2s",
            ])
    }
}

/// A hold may delay the long-running message: the scheduler hears of the secede after the
/// first job, which the freed thread ran meanwhile, has ended.
@Suite struct HeldLongRunningTests {
    @Test func aHoldDelaysTheLongRunningMessage() throws {
        let text = try String(
            contentsOf: packageRoot.appendingPathComponent("scenarios/secede.yaml"), encoding: .utf8
        )
        let held = try ScenarioLoader.load(
            text.replacingOccurrences(
                of: "expect:",
                with: """
                    faults:
                      - {hold: {message: long-running, from: a, to: scheduler, key: service}, by: 2s}
                    expect:
                      - {occurs: {message: long-running}, after: {kind: executed, task: job-0}}
                    """), file: "held.yaml")
        let result = ScenarioRunner.simulate(held).0
        #expect(result.passed, "\(result.expectations.filter { !$0.ok })")
        let unheld = try ScenarioLoader.load(
            text.replacingOccurrences(
                of: "expect:",
                with: """
                    expect:
                      - {occurs: {message: long-running}, after: {kind: executed, task: job-0}}
                    """), file: "unheld.yaml")
        #expect(!ScenarioRunner.simulate(unheld).0.expectations[0].ok)
    }
}
