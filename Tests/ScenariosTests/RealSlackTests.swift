import Cluster
import Scheduling
import Testing

@testable import Scenarios

/// A makespan expectation's `real_slack` is wall-clock time: a real run may miss the bounds
/// by that much, however small its time scale; a simulation keeps to them exactly.
@Suite struct RealSlackTests {
    func holds(
        makespan: Nanoseconds, timeScale: Double?, slack: String?
    ) throws -> Bool {
        let scenario = try ScenarioLoader.load(
            """
            cluster: {workers: [{name: a}]}
            tasks:
              - {key: t, duration: 1s}
            expect:
              - {makespan: {above: 999ms, below: 1001ms\(slack.map { ", real_slack: \($0)" } ?? "")}}
            """, file: "slack.yaml")
        var result = RunResult(
            scenario: scenario, mode: timeScale == nil ? "sim" : "real", seed: 1,
            policy: "locality", statuses: [])
        result.timeScale = timeScale
        let facts = RunFacts()
        // The last execution ends at `makespan`.
        facts.observe(
            TraceRecord(time: makespan, kind: .executionEnded, task: 0, worker: 0, from: 1))
        return ScenarioRunner.evaluate(
            scenario.expectations[0], facts: facts, status: { _ in "finished" }, result: result
        ).ok
    }

    @Test func slackIsWallClockTimeScaledToTheModel() throws {
        let late: Nanoseconds = 1_200_000_000
        // A simulation keeps to the bounds, slack or not.
        #expect(try !holds(makespan: late, timeScale: nil, slack: "25ms"))
        // 25 ms of wall-clock time is 2.5 s of model time at 0.01, 25 ms at 1.
        #expect(try holds(makespan: late, timeScale: 0.01, slack: "25ms"))
        #expect(try !holds(makespan: late, timeScale: 1, slack: "25ms"))
        #expect(try holds(makespan: 1_020_000_000, timeScale: 1, slack: "25ms"))
        #expect(try holds(makespan: 980_000_000, timeScale: 1, slack: "25ms"))
        #expect(try !holds(makespan: 900_000_000, timeScale: 1, slack: "25ms"))
        // Without slack a real run keeps to the bounds too.
        #expect(try !holds(makespan: late, timeScale: 0.01, slack: nil))
    }
}
