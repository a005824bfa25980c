import ArgumentParser
import Foundation
import Reports
import Scenarios

/// Runs a scenario and keeps its record (what reports, baselines and matrices read).
func record(_ scenario: Scenario, seed: UInt64?, policy: String?) -> RunRecord {
    let (result, simulation) = ScenarioRunner.simulate(
        scenario, seed: seed, policy: policy, policies: OrreryCommand.policies,
        perturbation: .implied(by: seed ?? scenario.seed, of: scenario))
    return RunRecord(result: result, cluster: simulation, finalStates: result.finalStates)
}

/// `5%` or `0.05`.
struct Tolerance: ExpressibleByArgument {
    var fraction: Double

    init?(argument: String) {
        let percent = argument.hasSuffix("%")
        guard let value = Double(percent ? String(argument.dropLast()) : argument), value >= 0
        else {
            return nil
        }
        fraction = percent ? value / 100 : value
    }

    /// As a user writes it: `5%`.
    var defaultValueDescription: String {
        let percent = fraction * 100
        return percent == percent.rounded() ? "\(Int(percent))%" : "\(percent)%"
    }
}

extension OrreryCommand {
    struct Baseline: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record the figures that matter, to guard against regressions.",
            subcommands: [Record.self])

        struct Record: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract:
                    "Record a baseline: one JSON file per scenario, per policy, over K seeds.",
                discussion: """
                    Figures: makespan, turnaround p50 and p95, transfers and bytes, retries, steals \
                    (median, min, max over the seeds), final states, and each seed's trace hash. \
                    Check a run against it with `orrery run … --baseline DIR`.
                    """)

            @Argument(help: "Scenario files (YAML).")
            var scenarios: [String]

            @Option(
                name: .customLong("policy"),
                help: "A policy to record (repeatable; default: each file's).")
            var policies: [String] = []

            @Option(help: "Seeds per scenario and policy, from the file's seed up.")
            var seeds: Int = 3

            @Option(help: "The baseline folder.")
            var dir: String = "baselines"

            @Flag(help: "Replace baselines that exist.")
            var update = false

            @Option(help: "text or json (one line per baseline recorded).")
            var format: Run.Format = .text

            func validate() throws {
                guard seeds >= 1 else { throw ValidationError("--seeds must be at least 1") }
                try OrreryCommand.checkPolicies(policies)
            }

            func run() throws {
                let loaded = try loadAll(scenarios)
                try FileManager.default.createDirectory(
                    atPath: dir, withIntermediateDirectories: true)
                for scenario in loaded {
                    let path = Reports.Baseline.path(for: scenario.name, in: dir)
                    if FileManager.default.fileExists(atPath: path.path), !update {
                        throw failure(
                            "\(path.path): error: a baseline exists; pass --update to replace it")
                    }
                    let chosen = policies.isEmpty ? [scenario.policy] : policies
                    let seedList = (0..<UInt64(seeds)).map { scenario.seed + $0 }
                    var entries: [String: Reports.Baseline.Entry] = [:]
                    for policy in chosen {
                        entries[policy] = Reports.Baseline.entry(
                            seedList.map { record(scenario, seed: $0, policy: policy) })
                    }
                    let baseline = Reports.Baseline(
                        scenario: scenario.name, file: scenario.file, seeds: seedList,
                        policies: entries,
                        reference: chosen[0])
                    do {
                        try ReportWriter.writeAtomically(try baseline.json(), to: path)
                    } catch let error as ReportError {
                        throw failure(error.description)
                    }
                    switch format {
                    case .text:
                        print(
                            "recorded \(path.path): \(chosen.joined(separator: ", ")) × \(seeds) seeds"
                        )
                    case .json:
                        print(try recordedLine(path: path.path, baseline: baseline))
                    }
                }
            }
        }
    }

    /// `baseline record --format json`'s line for one baseline written.
    static func recordedLine(path: String, baseline: Reports.Baseline) throws -> String {
        struct Line: Encodable {
            var recorded: String
            var scenario: String
            var policies: [String]
            var seeds: [UInt64]
        }
        return try jsonEncoder().text(
            Line(
                recorded: path, scenario: baseline.scenario,
                policies: baseline.policies.keys.sorted(), seeds: baseline.seeds))
    }

    struct Matrix: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run every scenario under every policy and compare makespans.",
            discussion: """
                Makespan relative to the best policy per scenario, summarised per policy (mean, \
                median, worst) with the full grid, as matrix.md (also printed), matrix.json and \
                matrix.html (a chart and the grid; self-contained).
                """)

        @Argument(help: "Scenario files (YAML).")
        var scenarios: [String]

        @Option(help: "Comma-separated policies.")
        var policies: String = "fifo,random,least-loaded,locality,work-stealing,critical-path"

        @Option(help: "Seeds per cell, from each file's seed up.")
        var seeds: Int = 1

        @Option(name: .shortAndLong, help: "Output folder.")
        var output: String = "reports/matrix"

        @Option(help: "text (the Markdown) or json (matrix.json on one line).")
        var format: Run.Format = .text

        var policyList: [String] {
            policies.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        }

        func validate() throws {
            guard seeds >= 1 else { throw ValidationError("--seeds must be at least 1") }
            try OrreryCommand.checkPolicies(policyList)
        }

        func run() throws {
            let loaded = try loadAll(scenarios)
            let runs = loaded.map { scenario in
                policyList.map { policy in
                    (0..<UInt64(seeds)).map {
                        record(scenario, seed: scenario.seed + $0, policy: policy)
                    }
                }
            }
            let matrix = PolicyMatrix(
                policies: policyList, scenarios: loaded.map(\.name), runs: runs)
            let folder = URL(fileURLWithPath: output)
            do {
                try FileManager.default.createDirectory(
                    at: folder, withIntermediateDirectories: true)
                try ReportWriter.writeAtomically(
                    matrix.markdown(), to: folder.appendingPathComponent("matrix.md"))
                try ReportWriter.writeAtomically(
                    try matrix.json(), to: folder.appendingPathComponent("matrix.json"))
                try ReportWriter.writeAtomically(
                    matrix.html(), to: folder.appendingPathComponent("matrix.html"))
            } catch let error as ReportError {
                throw failure(error.description)
            }
            switch format {
            case .text:
                print(matrix.markdown(), terminator: "")
                print("\nmatrix: \(folder.appendingPathComponent("matrix.html").path)")
            case .json:
                print(try matrix.json(pretty: false), terminator: "")
            }
        }
    }
}
