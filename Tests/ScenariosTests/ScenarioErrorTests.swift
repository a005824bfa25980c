import Cluster
import Foundation
import Scenarios
import Scheduling
import Testing

func brokenFiles() -> [String] {
    let folder = packageRoot.appendingPathComponent("Tests/ScenariosTests/Broken")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return names.filter { $0.hasSuffix(".yaml") }.sorted().map {
        folder.appendingPathComponent($0).path
    }
}

/// Each deliberately broken file names, on its first line, the diagnostic it must produce.
@Suite struct ScenarioErrorTests {
    @Test func theCorpusIsThere() {
        #expect(brokenFiles().count >= 15)
    }

    @Test(arguments: brokenFiles())
    func diagnostic(path: String) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let expected = String(text.split(separator: "\n")[0].dropFirst("# expect: ".count))
        let error = #expect(throws: ScenarioError.self) {
            _ = try ScenarioLoader.load(text, file: path)
        }
        #expect(
            error?.description.hasPrefix("\(path):\(expected)") == true,
            "\(error?.description ?? "no error")")
    }

    @Test func unitsParse() throws {
        let text = """
            cluster:
              workers: [{name: a, memory: 4GiB, memory_pause: false, memory_terminate: 0.9}]
            network: {latency: 250us, bandwidth: 1GB/s}
            tasks:
              - {key: x, duration: 1.5s, output: 10MB}
              - {key: y, duration: {normal: {mean: 10ms, sd: 2ms}}, output: 2KiB}
            """
        let scenario = try ScenarioLoader.load(text, file: "units.yaml")
        #expect(scenario.workers[0].memory == Int64(4) << 30)
        #expect(
            scenario.workers[0].memoryThresholds == MemoryThresholds(pause: nil, terminate: 0.9))
        #expect(scenario.network.latency == 250_000)
        #expect(scenario.network.bandwidth == 1_000_000_000)
        #expect(scenario.tasks[0].duration == .fixed(1_500_000_000))
        #expect(scenario.tasks[0].outputSize == 10_000_000)
        #expect(scenario.tasks[1].duration == .normal(mean: 10_000_000, deviation: 2_000_000))
        #expect(scenario.tasks[1].outputSize == 2048)
    }

    /// Batching is dask's unless a scenario sets a direction; 0 turns a direction off.
    @Test func batchingIntervals() throws {
        let plain = try ScenarioLoader.load(
            "cluster: {workers: [{name: a}]}\ntasks: [{key: x}]", file: "plain.yaml")
        #expect(plain.batching == .dask)
        let text = """
            cluster: {workers: [{name: a}]}
            network: {batching: {worker_to_scheduler: 0ms, client_to_scheduler: 1ms}}
            tasks: [{key: x}]
            """
        let scenario = try ScenarioLoader.load(text, file: "batching.yaml")
        var expected = BatchIntervals.dask
        expected.workerToScheduler = 0
        expected.clientToScheduler = 1_000_000
        #expect(scenario.batching == expected)
        let written = try ScenarioLoader.load(ScenarioWriter.yaml(scenario), file: "again.yaml")
        #expect(written.batching == expected)
    }

    @Test func familiesAndGenerators() throws {
        let text = """
            cluster:
              workers: [{count: 3, prefix: node, threads: 2}]
            tasks:
              - {key: load, count: 4}
              - {key: total, deps: [load]}
            generate:
              - chain: {prefix: c, length: 3}
              - tree_reduction: {prefix: t, leaves: 5, fan_in: 2}
              - map_shuffle_reduce: {prefix: m, maps: 3, reduces: 2}
              - random_dag: {prefix: r, size: 20, width: 5, density: 0.5, seed: 2}
            """
        let scenario = try ScenarioLoader.load(text, file: "families.yaml")
        #expect(scenario.workers.map(\.name) == ["node0", "node1", "node2"])
        #expect(scenario.keys(named: "load") == ["load-0", "load-1", "load-2", "load-3"])
        #expect(
            scenario.tasks.first { $0.key == "total" }?.dependencies == scenario.keys(named: "load")
        )
        #expect(scenario.tasks.first { $0.key == "c-2" }?.dependencies == ["c-1"])
        // 5 leaves → 3 → 2 → 1 at fan-in 2.
        #expect(scenario.keys(named: "t").count == 5 + 3 + 2 + 1)
        #expect(
            scenario.tasks.first { $0.key == "m-reduce-1" }?.dependencies == [
                "m-map-0", "m-map-1", "m-map-2",
            ])
        #expect(scenario.keys(named: "r").count == 20)
        let again = try ScenarioLoader.load(text, file: "families.yaml")
        #expect(again.tasks == scenario.tasks, "generators are deterministic")
    }
}
