import Foundation
import Scenarios
import Yams

/// Loading and validating a 100,000-task scenario file (explicit tasks, not a generator), and
/// sweeping seeds of a 100-task scenario.
enum ScenarioBenchmarks {
    /// A random DAG of `size` tasks on 8 workers of 2 threads, with work stealing, 1 ms
    /// messages, exponential durations and 1 MB results: the sweeps' and checks' workload.
    static func randomDAG(size: Int) -> Scenario {
        let text = """
            cluster:
              workers: [{count: 8, prefix: w, threads: 2}]
            scheduler: {policy: work-stealing, steal_interval: 10ms}
            network: {worker_latency: 1ms}
            generate:
              - random_dag: {prefix: t, size: \(size), width: 10, density: 0.3, seed: 1, duration: {exponential: 10ms}, output: 1MB}
            expect:
              - {completes: true}
            """
        return try! ScenarioLoader.load(text, file: "random-dag-\(size).yaml")
    }

    static func exploreFigures() -> [Figure] {
        let scenario = randomDAG(size: 100)
        let jobs = ProcessInfo.processInfo.activeProcessorCount
        let seeds = Exploration.seeds(from: 1, total: 400)
        let sweep = bestRate(operations: seeds.count, repetitions: 2) {
            precondition(Exploration.run(scenario, seeds: seeds, jobs: jobs).failures.isEmpty)
        }
        let atEnd = bestRate(operations: seeds.count, repetitions: 2) {
            precondition(
                Exploration.run(scenario, seeds: seeds, jobs: jobs, invariants: .atEnd).failures
                    .isEmpty)
        }
        let single = bestRate(operations: 100, repetitions: 2) {
            for seed in UInt64(1)...100 {
                keep(
                    ScenarioRunner.simulate(
                        scenario, seed: seed, perturbation: .implied(by: seed, of: scenario)
                    ).0)
            }
        }
        return [
            Figure(
                name: "explore, 100-task scenario, \(jobs) jobs", unit: "seeds/s", value: sweep,
                baselineName: "one job, no determinism re-runs", baseline: single),
            Figure(
                name: "explore, same, invariants at the end", unit: "seeds/s", value: atEnd,
                baselineName: "invariants after every event", baseline: sweep),
        ] + checkingFigures()
    }

    /// One large run with invariants checked after every event, against the same run checked
    /// once at the end: checking what each event changed keeps the two close at any size.
    static func checkingFigures() -> [Figure] {
        let scenario = randomDAG(size: 20_000)
        func rate(_ invariants: InvariantChecks) -> Double {
            bestRate(operations: 20_000, repetitions: 3) {
                let result = ScenarioRunner.simulate(
                    scenario, invariants: invariants, keepsTrace: false
                ).0
                precondition(result.passed)
            }
        }
        let everyEvent = rate(.everyEvent)
        return [
            Figure(
                name: "run 20k-task DAG, invariants after every event", unit: "tasks/s",
                value: everyEvent, baselineName: "invariants at the end",
                baseline: rate(.atEnd))
        ]
    }

    /// One sink depending on 25,000 tasks, invariants after every event, beside the same
    /// tasks without the sink: what a wide fan-in adds should follow the events it brings.
    static func wideFanInFigures() -> [Figure] {
        func scenario(sink: Bool) -> Scenario {
            let tasks =
                sink
                ? "generate:\n  - fan_out_fan_in: {prefix: f, width: 25000, duration: 1ms}"
                : "tasks:\n  - {key: f-source, duration: 1ms}\n  - {key: f, count: 25000, deps: [f-source], duration: 1ms}"
            return try! ScenarioLoader.load(
                "cluster:\n  workers: [{count: 4, prefix: w, threads: 2}]\n\(tasks)",
                file: "wide.yaml")
        }
        func rate(_ scenario: Scenario) -> Double {
            bestRate(operations: 25_000, repetitions: 2) {
                precondition(ScenarioRunner.simulate(scenario, keepsTrace: false).0.passed)
            }
        }
        return [
            Figure(
                name: "run 25k fan-in to one sink, invariants", unit: "tasks/s",
                value: rate(scenario(sink: true)), baselineName: "same tasks without the sink",
                baseline: rate(scenario(sink: false)))
        ]
    }

    /// Leaves that all share 100 inputs (2M edges at 20,000 leaves), invariants after every
    /// event, beside half as many: a cost that follows the edges keeps the rate per edge.
    static func sharedInputsFigures() -> [Figure] {
        func rate(leaves: Int) -> Double {
            let scenario = try! ScenarioLoader.load(
                """
                cluster:
                  workers: [{count: 4, prefix: w, threads: 2}]
                tasks:
                  - {key: root, count: 100, duration: 1ms, output: 1KB}
                  - {key: leaf, count: \(leaves), deps: [root], duration: 1ms}
                """, file: "shared.yaml")
            return bestRate(operations: leaves * 100, repetitions: 2) {
                precondition(ScenarioRunner.simulate(scenario, keepsTrace: false).0.passed)
            }
        }
        return [
            Figure(
                name: "run 20k leaves × 100 shared inputs, invariants", unit: "edges/s",
                value: rate(leaves: 20_000), baselineName: "10k leaves (a linear cost keeps ×1)",
                baseline: rate(leaves: 10_000))
        ]
    }

    static func run() -> [Figure] {
        let count = 100_000
        var lines = [
            "cluster:", "  workers:", "    - {count: 100, prefix: w, threads: 4}", "tasks:",
        ]
        for index in 0..<count {
            let dependencies = index < 100 ? "" : ", deps: [t\(index - 100), t\(index / 2)]"
            lines.append("  - {key: t\(index)\(dependencies), duration: 10ms, output: 1MB}")
        }
        lines.append("expect:\n  - {completes: true}")
        let text = lines.joined(separator: "\n")
        let load = bestRate(operations: 1, repetitions: 3) {
            let scenario = try! ScenarioLoader.load(text, file: "bench.yaml")
            precondition(scenario.tasks.count == count)
        }
        let parse = bestRate(operations: 1, repetitions: 3) {
            keep(try! Yams.compose(yaml: text, .basic))
        }
        return [
            Figure(
                name: "load+validate 100k-task scenario", unit: "s", value: 1 / load,
                baselineName: "YAML parse alone (Yams, basic resolver)", baseline: 1 / parse)
        ] + exploreFigures() + wideFanInFigures() + sharedInputsFigures()
    }
}
