import Foundation
import Reports
import Scenarios
import Simulation
import Testing

/// An expectation and a report read the same figures: the makespan and counts a run judged
/// itself by are those its report shows, even once its trace is written and read back.
@Suite struct OneTallyTests {
    static func shipped() -> [String] {
        let folder = root.appendingPathComponent("scenarios")
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
    }

    @Test(arguments: shipped())
    func expectationsAndReportAgree(name: String) throws {
        let path = root.appendingPathComponent("scenarios/\(name).yaml").path
        let scenario = try ScenarioLoader.load(
            String(contentsOfFile: path, encoding: .utf8), file: path)
        let (result, simulation) = ScenarioRunner.simulate(scenario)
        let record = RunRecord(
            result: result, cluster: simulation, finalStates: result.finalStates)
        let reread = try RunRecord(jsonLines: try record.jsonLines(), file: "trace.jsonl")
        for metrics in [Metrics(record), Metrics(reread)] {
            #expect(metrics.makespan == result.makespan)
            #expect(metrics.makespan == result.tally.makespan)
            #expect(metrics.retries == result.tally.retries)
            #expect(metrics.transfers == result.tally.transfers)
            #expect(metrics.transferredBytes == result.tally.transferredBytes)
            #expect(metrics.stealsWon == result.tally.steals)
            #expect(metrics.cancelledFutures == result.tally.cancellations)
        }
    }
}
