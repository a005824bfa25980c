import Foundation
import Orrery
import Testing

/// What `import Orrery` alone gives a program: every module, a scenario built in Swift, and
/// runs in simulation and on real threads.
@Suite struct LibraryTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// `scenarios/retries.yaml`, built in Swift.
    static func retries() throws -> Scenario {
        try Scenario(
            name: "retries",
            description: "a task that raises on its first two attempts succeeds on the third",
            workers: [WorkerSetup(name: "a")],
            tasks: [ScenarioTask(key: "flaky", duration: .fixed(100_000_000), retries: 2)],
            faults: [.failTask(key: "flaky", attempts: .listed([1, 2]), error: "ValueError")],
            expectations: [
                Expectation(.status(keys: ["flaky"], name: "flaky", status: "finished")),
                Expectation(.count(.retries, atLeast: 2, atMost: 2)),
                Expectation(
                    .makespan(below: 301_000_000, above: 299_000_000, realSlack: 25_000_000)),
            ])
    }

    @Test func aScenarioBuiltInSwiftRunsAsItsFileDoes() throws {
        let built = try Self.retries()
        let file = try Scenario.load(
            contentsOf: Self.root.appendingPathComponent("scenarios/retries.yaml").path)
        let (fromSwift, fromFile) = (built.run(), file.run())
        #expect(fromSwift.passed)
        #expect(fromSwift.traceHash == fromFile.traceHash)
        #expect(
            fromSwift.result.expectations.map(\.expectation)
                == fromFile.result.expectations.map(\.expectation))
        #expect(fromSwift.metrics.makespan == 300_000_000)
    }

    @Test func aBuiltScenarioIsCheckedAsAFileIs() {
        #expect {
            try Scenario(
                name: "broken", workers: [WorkerSetup(name: "a")],
                tasks: [ScenarioTask(key: "x", dependencies: ["nowhere"])])
        } throws: { error in
            let problem = error as? ScenarioError
            return problem?.path == "tasks[0].deps"
                && problem?.message.contains("'nowhere' of 'x' is not a task") == true
        }
        #expect(throws: ScenarioError.self) {
            try Scenario(
                name: "unknown-worker", workers: [WorkerSetup(name: "a")],
                tasks: [ScenarioTask(key: "x")], faults: [.kill(worker: "b", at: 0)])
        }
    }

    /// The thread executor comes with `import Orrery`: the same scenario on real threads.
    @Test func aScenarioRunsOnRealThreads() throws {
        let run = try Self.retries().runOnThreads(timeScale: 0.05)
        #expect(run.finalStates["flaky"] == "finished")
        #expect(run.record.header.mode == "real")
        // ThreadExecutor's own types are in scope too.
        let (_, cluster): (RunResult, ThreadCluster) = ScenarioRunner.runOnThreads(
            try Self.retries(), timeScale: 0.05)
        #expect(cluster.traceLines().contains { $0.contains("flaky") })
    }
}
