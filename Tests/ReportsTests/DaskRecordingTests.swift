import Foundation
import Reports
import Scenarios
import Testing

/// A dask run recorded by orrery-dask (`integrations/dask`) and checked in: the map-reduce
/// graph on two local workers of two threads. Its scenario must load and simulate, and its
/// trace must read, draw and compare like any run of Orrery's own.
@Suite struct DaskRecordingTests {
    static let folder = root.appendingPathComponent("Tests/ReportsTests/Fixtures/dask-map-reduce")

    static func recorded() throws -> RunRecord {
        let path = folder.appendingPathComponent("trace.jsonl").path
        return try RunRecord(
            jsonLines: String(contentsOfFile: path, encoding: .utf8), file: path)
    }

    static func simulated() throws -> RunRecord {
        let path = folder.appendingPathComponent("scenario.yaml").path
        let scenario = try ScenarioLoader.load(
            String(contentsOfFile: path, encoding: .utf8), file: path)
        let (result, simulation) = ScenarioRunner.simulate(scenario)
        return RunRecord(result: result, cluster: simulation, finalStates: result.finalStates)
    }

    @Test func theRecordedScenarioRunsEveryTask() throws {
        let run = try Self.simulated()
        #expect(run.header.passed)
        #expect(run.header.finalStates.count == 45)
        #expect(Set(run.header.finalStates.values) == ["finished"])
        #expect(run.header.workers.map(\.name) == ["w0", "w1"])
        #expect(run.header.workers.map(\.threads) == [2, 2])
    }

    @Test func theRecordedTraceReadsAsARun() throws {
        let dask = try Self.recorded()
        #expect(dask.header.mode == "dask")
        #expect(dask.header.events == dask.events.count)
        let metrics = Metrics(dask)
        let transfers = dask.events.filter { $0.kind == "fetched" && $0.from == "ok" }
        #expect(metrics.transfers == transfers.count && metrics.transfers > 0)
        #expect(metrics.transferredBytes == transfers.reduce(0) { $0 + $1.detail })
        let lastEnd = dask.events.filter { $0.kind == "executed" }.map(\.time).max()!
        #expect(metrics.makespan == lastEnd)
        // Every execution is a bar on a thread of its worker, none overlapping another.
        let gantt = Gantt(dask)
        #expect(gantt.bars.count == 45)
        #expect(Set(gantt.bars.map(\.task)) == Set(dask.header.finalStates.keys))
        #expect(gantt.bars.allSatisfy { $0.thread < 2 && $0.outcome == .finished })
        for (index, bar) in gantt.bars.enumerated() {
            for other in gantt.bars[(index + 1)...]
            where other.worker == bar.worker && other.thread == bar.thread {
                #expect(other.end <= bar.start || bar.end <= other.start)
            }
        }
        #expect(gantt.transfers.count == transfers.count)
        #expect(parsesAsXML(GanttRenderer.svg(gantt, title: "dask")))
    }

    @Test func theSimulationComparesWithTheRecording() throws {
        let simulation = try Self.simulated()
        let dask = try Self.recorded()
        let comparison = Comparison(simulation, dask)
        #expect(comparison.b.mode == "dask")
        #expect(comparison.startDifference.count == 45)
        #expect(comparison.startDifference.median <= comparison.startDifference.p90)
        #expect(comparison.startDifference.p90 <= comparison.startDifference.p95)
        #expect(comparison.tasksPerWorker.map(\.worker) == ["w0", "w1"])
        #expect(comparison.tasksPerWorker.reduce(0) { $0 + $1.a } == 45)
        #expect(comparison.tasksPerWorker.reduce(0) { $0 + $1.b } == 45)
        #expect(comparison.b.transfers == Metrics(dask).transfers)
        #expect(comparison.b.transferredBytes == Metrics(dask).transferredBytes)
        #expect(comparison.finalStateAgreement == 1)
        // The same work in both: the makespans are within a fifth of each other.
        #expect(abs(comparison.makespanChange) < 0.2, "\(comparison.makespanChange)")
        let markdown = ComparisonRenderer.markdown(comparison)
        #expect(markdown.contains("| tasks per worker A, B | w0 "))
        #expect(markdown.contains("| transfers, bytes A; B | "))
        #expect(parsesAsXML(ComparisonRenderer.html(comparison, simulation, dask)))
    }
}
