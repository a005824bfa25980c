import Foundation
import Scenarios
import Testing

/// Expectations precise enough to pin a race: an erred future's kind of error, counts of one
/// task, and matchers over the trace (`occurs:`, `never:`, `after:`).
@Suite struct PinningExpectationTests {
    static func run(_ yaml: String) throws -> RunResult {
        ScenarioRunner.simulate(try ScenarioLoader.load(yaml, file: "pin.yaml")).0
    }

    /// A worker dies under the task twice; allowed_failures 1 makes it err with KilledWorker
    /// (and `other`, queued behind it on the same workers, too, never having run).
    static let killed = """
        cluster: {workers: [{name: a}]}
        scheduler: {allowed_failures: 1}
        tasks: [{key: crasher, duration: 10s}, {key: other, duration: 1ms}]
        faults:
          - {at: 1s, kill: a}
          - {at: 2s, add: {name: b}}
          - {at: 3s, kill: b}
          - {at: 4s, add: {name: c}}
        expect:

        """

    func verdicts(_ expectations: String) throws -> [(Bool, String)] {
        try Self.run(Self.killed + expectations).expectations.map { ($0.ok, $0.detail) }
    }

    @Test func theKindOfAnErredFuturesError() throws {
        let results = try verdicts(
            """
              - {future: crasher, status: error, error: KilledWorker}
              - {future: crasher, status: error, error: ValueError}
              - {future: crasher, status: error}
            """)
        #expect(results.map(\.0) == [true, false, true])
        #expect(results[1].1 == "crasher is error (KilledWorker)")
    }

    @Test func countsOfOneTask() throws {
        let results = try verdicts(
            """
              - {executions: {equals: 2, of: crasher}}
              - {executions: {equals: 0, of: other}}
              - {retries: {equals: 1, of: crasher}}
              - {executions: {equals: 2}}
            """)
        #expect(results.map(\.0) == [true, true, true, true])
        #expect(results[0].1 == "executions of crasher = 2")
    }

    @Test func matchersOverTheTrace() throws {
        let results = try verdicts(
            """
              - {occurs: {kind: execute, task: crasher}, count: 2}
              - {never: {kind: execute, worker: c}}
              - {never: {kind: execute, task: crasher, worker: b}}
              - {occurs: {kind: fault, from: kill, worker: b}, after: {kind: execute, task: crasher, worker: b}}
              - {occurs: {kind: execute, task: crasher, worker: b}, after: {kind: fault, from: kill, worker: b}}
              - {occurs: {message: compute-task}, at_least: 4, at_most: 4}
              - {occurs: {kind: future, task: crasher, from: erred}}
            """)
        #expect(results.map(\.0) == [true, true, false, true, false, true, true])
        #expect(results[2].1.hasPrefix("1 matching record, the first at 2s"))
        #expect(results[4].1.hasSuffix("later than the first match"))
    }

    /// A delivered message's record names its sender and receiver and every task it names.
    @Test func deliveredMessagesNameTheirEndsAndTasks() throws {
        let results = try verdicts(
            """
              - {occurs: {message: update-graph, from: client, to: scheduler, task: other}}
              - {occurs: {message: compute-task, from: scheduler, to: b, task: crasher}}
              - {occurs: {message: worker-added, from: c, to: scheduler}}
              - {occurs: {message: worker-removed, from: scheduler, to: scheduler}, count: 2}
              - {never: {message: compute-task, to: c}}
            """)
        #expect(results.map(\.0) == [true, true, true, true, true])
    }

    /// A steal response's record carries the victim's answer: work queued on one worker is
    /// stolen by one that joins, so some answers are `ready` (confirmed); none is `memory`.
    @Test func stealResponsesCarryTheAnswer() throws {
        let result = try Self.run(
            """
            cluster: {workers: [{name: a}]}
            network: {worker_latency: 3ms}
            scheduler: {policy: work-stealing, steal_interval: 10ms, worker_saturation: inf}
            tasks: [{key: job, count: 40, duration: 20ms}]
            faults: [{at: 1ms, add: {name: b, threads: 2}}]
            expect:
              - {occurs: {message: steal-response, from: a, state: ready}, at_least: 1}
              - {never: {message: steal-response, state: memory}}
              - {occurs: {message: steal-request, from: scheduler, to: a}, at_least: 1}
            """)
        #expect(result.expectations.map(\.ok) == [true, true, true])
    }

    /// Names in matchers and the new keys are checked like every other name.
    @Test(arguments: [
        ("{occurs: {kind: execut}}", "unknown trace record kind 'execut'; did you mean 'execute'?"),
        ("{never: {worker: d}}", "no worker is named 'd'"),
        ("{occurs: {message: compute}}", "unknown message 'compute'"),
        ("{never: {}}", "expected at least one of kind, task, worker, message, from, to, state"),
        ("{occurs: {message: steal-response, state: stolen}}", "unknown state 'stolen'"),
        (
            "{future: crasher, status: finished, error: KilledWorker}",
            "error: goes with status: error"
        ),
        ("{steal_races: {at_least: 1, of: crasher}}", "steal_races is counted for the whole run"),
        ("{never: {kind: execute}, count: 1}", "count: goes with occurs:"),
        (
            "{occurs: {kind: execute}, never: {kind: fault}}",
            "occurs: and never: are two expectations"
        ),
    ])
    func badNamesAreRefused(expectation: String, message: String) {
        #expect {
            _ = try ScenarioLoader.load(Self.killed + "  - \(expectation)\n", file: "pin.yaml")
        } throws: { error in
            (error as? ScenarioError)?.message.contains(message) == true
        }
    }

    /// A shrunk or rewritten scenario keeps them.
    @Test func theyAreWrittenBack() throws {
        let scenario = try ScenarioLoader.load(
            Self.killed
                + """
                  - {future: crasher, status: error, error: KilledWorker}
                  - {executions: {equals: 2, of: crasher}}
                  - {never: {kind: execute, worker: c}}
                  - {occurs: {message: compute-task, task: crasher}, at_least: 1, after: {kind: fault, from: kill}}
                  - {never: {message: steal-response, from: a, to: scheduler, state: executing}}

                """, file: "pin.yaml")
        let again = try ScenarioLoader.load(ScenarioWriter.yaml(scenario), file: "again.yaml")
        #expect(again.expectations.map(\.check) == scenario.expectations.map(\.check))
    }
}
