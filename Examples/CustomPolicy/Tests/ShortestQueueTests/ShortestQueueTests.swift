import Foundation
import Orrery
import ShortestQueue
import Testing

/// The shipped scenarios, from this package's place in the repository.
let scenarios = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../../../../scenarios").standardizedFileURL

func scenario(_ name: String) throws -> Scenario {
    try Scenario.load(
        contentsOf: scenarios.appendingPathComponent("\(name).yaml").path,
        policies: [.shortestQueue])
}

@Suite struct ShortestQueueTests {
    /// Six one-second tasks on three workers: two rounds, like round-robin.
    @Test func spreadsEvenly() throws {
        let run = try scenario("fifo-round-robin").run(
            policy: "shortest-queue", adding: [.shortestQueue])
        #expect(run.passed, "\(run.result.expectations.filter { !$0.ok })")
        #expect(run.metrics.makespan == 2_000_000_000)
        #expect(run.metrics.overallUtilisation == 1)
    }

    /// It ignores where data is: on the shuffle it moves the big inputs and is much slower
    /// than locality.
    @Test func ignoresLocality() throws {
        let shuffle = try scenario("locality-shuffle")
        let mine = shuffle.run(policy: "shortest-queue", adding: [.shortestQueue])
        let locality = shuffle.run(policy: "locality")
        #expect(!mine.passed)
        #expect(mine.metrics.transferredBytes > locality.metrics.transferredBytes)
        #expect(mine.metrics.makespan > 5 * locality.metrics.makespan)
    }

    /// Faults and retries are the scheduler's business, whatever the policy.
    @Test(arguments: [
        "retries", "killed-worker", "lost-result-recomputed", "worker-joins", "gpu-resources",
    ])
    func shippedScenariosStillPass(name: String) throws {
        let run = try scenario(name).run(policy: "shortest-queue", adding: [.shortestQueue])
        #expect(run.passed, "\(name): \(run.result.expectations.filter { !$0.ok })")
        #expect(run.result.policy == "shortest-queue")
    }

    @Test func sameSeedSameTrace() throws {
        let file = try scenario("steal-versus-finish")
        let first = file.run(seed: 3, policy: "shortest-queue", adding: [.shortestQueue])
        let second = file.run(seed: 3, policy: "shortest-queue", adding: [.shortestQueue])
        #expect(first.traceHash == second.traceHash)
    }

    /// A scenario file may name the policy itself once the program knows it.
    @Test func scenarioFilesCanNameIt() throws {
        let text = """
            cluster:
              workers: [{name: a}, {name: b}]
            scheduler: {policy: shortest-queue}
            tasks:
              - {key: job, count: 4, duration: 1s}
            expect:
              - {future: job, status: finished}
              - {makespan: {below: 2001ms}}
            """
        let scenario = try ScenarioLoader.load(
            text, file: "inline.yaml", policies: PolicyRegistry.names + ["shortest-queue"])
        #expect(scenario.run(adding: [.shortestQueue]).passed)
        #expect(throws: ScenarioError.self) { try ScenarioLoader.load(text, file: "inline.yaml") }
    }
}
