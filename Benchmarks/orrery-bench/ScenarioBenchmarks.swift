import Scenarios
import Yams

/// Loading and validating a 100,000-task scenario file (explicit tasks, not a generator).
enum ScenarioBenchmarks {
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
        ]
    }
}
