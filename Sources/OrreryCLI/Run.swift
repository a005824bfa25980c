import ArgumentParser
import Foundation
import Reports
import Cluster
import Scenarios

extension OrreryCommand {
    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run scenarios and check their expectations.",
            discussion: """
                One line per scenario (text), or one JSON object per run (json). A failure names \
                the expectation that failed and the command that replays the run.
                """)

        @Argument(help: "Scenario files (YAML).")
        var scenarios: [String]

        @Option(
            parsing: .unconditional, help: "Seed for every run (default: each file's seed).",
            transform: seedArgument)
        var seed: UInt64?

        @Option(help: "sim (simulation) or real (thread executor).")
        var mode: Mode = .sim

        @Option(
            help:
                "With --mode real: wall-clock time per unit of modelled time (0.01 runs 10 s in 0.1 s)."
        )
        var timeScale: Double = 1

        @OptionGroup var choices: RunChoices

        @Option(
            help:
                "In simulation, when to check the machines' invariants: every-event (a violation stops the run where it happens; the default) or end (faster)."
        )
        var invariants: InvariantChecks?

        @Option(help: "text or json.")
        var format: Format = .text

        @Option(
            help:
                "Write each run's report into this folder (DIR/<scenario>/<mode>-seed<N>/, <mode>-<policy>-seed<N>/ for another policy than the file's)."
        )
        var report: String?

        @Option(help: "Write a JUnit XML file with one test case per run.")
        var junit: String?

        @Option(
            help:
                "Check each run against the baselines in this folder (see `orrery baseline record`)."
        )
        var baseline: String?

        @Option(help: "How far a figure may move from its baseline, like 5%.")
        var tolerance: Tolerance = Tolerance(argument: "5%")!

        @Flag(help: "With --baseline, also fail when a trace hash differs from the recorded one.")
        var strict = false

        enum Mode: String, ExpressibleByArgument, CaseIterable { case sim, real }
        enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

        func validate() throws {
            if mode == .real, invariants != nil {
                throw ValidationError(
                    "--invariants is for simulation: a real run checks them after every event")
            }
            guard timeScale > 0, timeScale.isFinite else {
                throw ValidationError("--time-scale must be a positive number, got \(timeScale)")
            }
        }

        func run() throws {
            try checkOutputs(report: report, junit: junit, baseline: baseline)
            let loaded = try loadAll(scenarios)
            var failed = false
            var records: [RunRecord] = []
            var checks: [BaselineCheck] = []
            for scenario in loaded {
                let (result, cluster) = run(scenario)
                failed = failed || !result.passed
                switch format {
                case .json: print(try jsonEncoder().text(result))
                case .text: print(textReport(result))
                }
                guard report != nil || junit != nil || baseline != nil else { continue }
                let record = RunRecord(
                    result: result, cluster: cluster, finalStates: result.finalStates)
                records.append(record)
                if let report {
                    let index = try writeReport(
                        record,
                        to: ReportWriter.folder(
                            for: record.header, in: report, filePolicy: scenario.policy))
                    if format == .text { print("      report: \(index.path)") }
                }
                if let baseline {
                    let stored = try loadBaseline(scenario.name, in: baseline)
                    checks.append(
                        BaselineCheck(
                            record, against: stored, tolerance: tolerance.fraction, strict: strict))
                }
            }
            if let junit {
                do {
                    try ReportWriter.writeAtomically(
                        JUnitRenderer.xml(records), to: URL(fileURLWithPath: junit))
                } catch let error as ReportError {
                    throw failure(error.description)
                }
            }
            if let baseline {
                let table = BaselineCheck.table(checks)
                let percent = String(format: "%g%%", tolerance.fraction * 100)
                switch format {
                case .json:
                    print(try baselineJSONLine(checks, baseline: baseline))
                case .text:
                    print(
                        table.isEmpty
                            ? "baseline \(baseline): no figure moved beyond \(percent)"
                            : "baseline \(baseline) (tolerance \(percent)):\n\(table)")
                }
                failed = failed || checks.contains(where: \.failed)
            }
            if failed { throw ExitCode(1) }
        }

        private func run(_ scenario: Scenario) -> (RunResult, any TracedCluster) {
            let scenario = choices.apply(to: scenario)
            let (result, cluster): (RunResult, any TracedCluster) =
                switch mode {
                case .sim:
                    ScenarioRunner.simulate(
                        scenario, seed: seed, policy: choices.policy,
                        policies: OrreryCommand.policies,
                        perturbation: .implied(
                            by: seed ?? scenario.seed, of: scenario, pct: choices.pct),
                        swarm: choices.swarm, invariants: invariants ?? .everyEvent)
                case .real:
                    ScenarioRunner.runOnThreads(
                        scenario, seed: seed, policy: choices.policy,
                        policies: OrreryCommand.policies, timeScale: timeScale)
                }
            return (choices.noted(result), cluster)
        }
    }
}

func loadBaseline(_ scenario: String, in folder: String) throws -> Reports.Baseline {
    let path = Reports.Baseline.path(for: scenario, in: folder).path
    guard let data = FileManager.default.contents(atPath: path) else {
        throw failure(
            "\(path): error: no baseline for \(scenario) (record one with `orrery baseline record`)"
        )
    }
    do {
        return try JSONDecoder().decode(Reports.Baseline.self, from: data)
    } catch {
        throw failure("\(path): error: not a baseline: \(error)")
    }
}

func writeReport(_ record: RunRecord, to folder: URL) throws -> URL {
    do {
        return try ReportWriter.write(record, to: folder)
    } catch let error as ReportError {
        throw failure(error.description)
    }
}

/// Refuses, before anything runs, a report folder, JUnit file or baseline folder that cannot
/// be used: one line each, exit status 2.
func checkOutputs(report: String?, junit: String? = nil, baseline: String? = nil) throws {
    var problems: [String] = []
    if let report, let problem = ReportWriter.checkFolder(report) { problems.append(problem) }
    if let junit, let problem = ReportWriter.checkFile(junit) { problems.append(problem) }
    if let baseline {
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: baseline, isDirectory: &isDirectory) {
            problems.append(
                "\(baseline): error: no baselines here (record them with `orrery baseline record`)")
        } else if !isDirectory.boolValue {
            problems.append("\(baseline): error: not a folder of baselines")
        }
    }
    if !problems.isEmpty { throw failure(problems.joined(separator: "\n")) }
}

/// Reads and checks every file first; any problem stops with exit code 2 before anything runs.
func loadAll(_ paths: [String]) throws -> [Scenario] {
    var scenarios: [Scenario] = []
    var problems: [String] = []
    for path in paths {
        do {
            scenarios.append(
                try ScenarioLoader.load(contentsOf: path, policies: OrreryCommand.policyNames))
        } catch {
            problems.append(error.description)
        }
    }
    if !problems.isEmpty {
        FileHandle.standardError.write(Data((problems.joined(separator: "\n") + "\n").utf8))
        throw ExitCode(2)
    }
    return scenarios
}

/// The baseline checks of a `--format json` run as one more JSON line: each figure that moved
/// beyond the tolerance, and whatever failed outright.
func baselineJSONLine(_ checks: [BaselineCheck], baseline: String) throws -> String {
    struct Line: Encodable {
        var baseline: String
        var passed: Bool
        var moved: [BaselineCheck.Row]
        var failures: [String]
    }
    return try jsonEncoder().text(
        Line(
            baseline: baseline, passed: !checks.contains(where: \.failed),
            moved: checks.flatMap(\.rows), failures: checks.flatMap(\.failures)))
}

func textReport(_ result: RunResult) -> String {
    let verdict = result.passed ? "PASS" : "FAIL"
    let makespan = String(format: "%.3fs", Double(result.makespan) / 1e9)
    var lines = [
        "\(verdict)  \(result.scenario.padding(toLength: max(28, result.scenario.count), withPad: " ", startingAt: 0))  makespan \(makespan)  \(result.policy)  seed \(result.seed)  trace \(result.traceHash)"
    ]
    for expectation in result.expectations where expectation.sometimes {
        lines.append(
            "      \(expectation.ok ? "~ seen" : "~ not seen"): \(expectation.expectation) (\(expectation.detail))"
        )
    }
    if !result.passed {
        for expectation in result.expectations where !expectation.ok && !expectation.sometimes {
            lines.append("      ✗ \(expectation.expectation): \(expectation.detail)")
        }
        for violation in result.invariantViolations.prefix(5) {
            lines.append("      ✗ invariant: \(violation)")
        }
        if !result.hang.isEmpty {
            lines.append("      ✗ hang: \(result.hang.prefix(5).joined(separator: ", "))")
        }
        if let stopped = result.stopped { lines.append("      ✗ stopped: \(stopped)") }
        lines.append("      replay: \(result.replayCommand)")
    }
    return lines.joined(separator: "\n")
}
