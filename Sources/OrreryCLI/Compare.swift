import ArgumentParser
import Foundation
import Reports
import Scenarios

extension OrreryCommand {
    struct Compare: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Compare two saved runs, or a scenario's simulation with a real or a dask run.",
            discussion: """
                `orrery compare RUN_A RUN_B` compares two report folders written by \
                `orrery run --report` or recorded from dask (sim/sim, real/real, policy A vs B, \
                before vs after). `orrery compare SCENARIO --sim-vs-real` runs the scenario in \
                simulation and on real threads and compares the two; `--sim-vs-dask FOLDER` \
                compares its simulation with a dask run recorded by orrery-dask. Either way it \
                writes compare.md, compare.json and compare.html (both timelines on one axis) \
                and prints the Markdown.
                """)

        @Argument(
            help:
                "The first run's report folder, or with --sim-vs-real or --sim-vs-dask a scenario file."
        )
        var runA: String

        @Argument(help: "The second run's report folder.")
        var runB: String?

        @Flag(help: "Run the scenario in simulation and on real threads, and compare the two.")
        var simVsReal = false

        @Option(
            help: ArgumentHelp(
                "Simulate the scenario and compare it with this dask run (a folder orrery-dask recorded).",
                valueName: "folder"))
        var simVsDask: String?

        @Option(
            parsing: .unconditional,
            help: "With --sim-vs-real or --sim-vs-dask: the seed (default: the file's).",
            transform: seedArgument)
        var seed: UInt64?

        @Option(
            help: """
                With --sim-vs-real: wall-clock time per unit of modelled time (default: what \
                makes the real run last about a second).
                """)
        var timeScale: Double?

        @Option(
            name: .shortAndLong,
            help: "Folder for the comparison (default: reports/compare/<A>-vs-<B>).")
        var output: String?

        @Option(help: "text (the Markdown) or json (compare.json on one line).")
        var format: Run.Format = .text

        func validate() throws {
            if simVsDask != nil {
                if simVsReal {
                    throw ValidationError("--sim-vs-real and --sim-vs-dask exclude each other")
                }
                if runB != nil {
                    throw ValidationError(
                        "--sim-vs-dask takes one scenario file and the recorded run's folder")
                }
                if timeScale != nil {
                    throw ValidationError("--time-scale goes with --sim-vs-real")
                }
                return
            }
            if simVsReal {
                if runB != nil {
                    throw ValidationError("--sim-vs-real takes one scenario file, not two runs")
                }
                if let timeScale, !(timeScale > 0 && timeScale.isFinite) {
                    throw ValidationError(
                        "--time-scale must be a positive number, got \(timeScale)")
                }
                return
            }
            guard runB != nil else {
                throw ValidationError(
                    "give two report folders, or one scenario file with --sim-vs-real or --sim-vs-dask"
                )
            }
            for path in [runA, runB!] where path.hasSuffix(".yaml") || path.hasSuffix(".yml") {
                throw ValidationError(
                    "\(path) is a scenario; compare its simulation with a real run with --sim-vs-real, or compare two report folders"
                )
            }
            if seed != nil || timeScale != nil {
                throw ValidationError(
                    "--seed goes with --sim-vs-real or --sim-vs-dask, --time-scale with --sim-vs-real"
                )
            }
        }

        func run() throws {
            let (first, second) =
                if let simVsDask {
                    (simulate(try loadAll([runA])[0]).record, try load(simVsDask))
                } else if simVsReal {
                    try runBoth()
                } else {
                    (try load(runA), try load(runB!))
                }
            let comparison = Comparison(first, second)
            let name =
                "\(first.header.scenario)-\(first.header.mode)-\(first.header.policy)-seed\(first.header.seed)-vs-\(second.header.scenario)-\(second.header.mode)-\(second.header.policy)-seed\(second.header.seed)"
            let folder = URL(fileURLWithPath: output ?? "reports/compare/\(name)")
            do {
                try FileManager.default.createDirectory(
                    at: folder, withIntermediateDirectories: true)
                let markdown = ComparisonRenderer.markdown(comparison)
                try ReportWriter.writeAtomically(
                    markdown, to: folder.appendingPathComponent("compare.md"))
                try ReportWriter.writeAtomically(
                    try ComparisonRenderer.json(comparison),
                    to: folder.appendingPathComponent("compare.json"))
                try ReportWriter.writeAtomically(
                    ComparisonRenderer.html(comparison, first, second),
                    to: folder.appendingPathComponent("compare.html"))
                switch format {
                case .text:
                    print(markdown, terminator: "")
                    print("\ncomparison: \(folder.appendingPathComponent("compare.html").path)")
                case .json:
                    print(try ComparisonRenderer.json(comparison, pretty: false), terminator: "")
                }
            } catch let error as ReportError {
                throw failure(error.description)
            }
        }

        /// The scenario's simulation at the chosen seed.
        private func simulate(_ scenario: Scenario) -> (result: RunResult, record: RunRecord) {
            let (result, cluster) = ScenarioRunner.simulate(
                scenario, seed: seed, policies: OrreryCommand.policies,
                perturbation: .implied(by: seed ?? scenario.seed, of: scenario))
            return (
                result, RunRecord(result: result, cluster: cluster, finalStates: result.finalStates)
            )
        }

        /// The scenario's simulation and a real run of it, at the chosen time scale.
        private func runBoth() throws -> (RunRecord, RunRecord) {
            let scenario = try loadAll([runA])[0]
            let simulated = simulate(scenario)
            let makespan = Double(simulated.result.makespan) / 1e9
            let scale = timeScale ?? (makespan > 0 ? 1 / makespan : 1)
            let (real, cluster) = ScenarioRunner.runOnThreads(
                scenario, seed: seed, policies: OrreryCommand.policies, timeScale: scale)
            if format == .text {
                print(
                    "time scale \(scale): the real run took \(String(format: "%.2f", real.wallSeconds)) s"
                )
            }
            return (
                simulated.record,
                RunRecord(result: real, cluster: cluster, finalStates: real.finalStates)
            )
        }

        private func load(_ folder: String) throws -> RunRecord {
            let path = URL(fileURLWithPath: folder).appendingPathComponent("trace.jsonl").path
            guard let data = FileManager.default.contents(atPath: path) else {
                throw failure(
                    "\(path): error: cannot read the trace (is \(folder) a report folder?)")
            }
            do {
                return try RunRecord(jsonLines: String(decoding: data, as: UTF8.self), file: path)
            } catch let error as ReportError {
                throw failure(error.description)
            }
        }
    }
}
