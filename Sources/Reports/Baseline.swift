import Foundation
import Scenarios

/// The figures that matter for regressions, of one scenario under each policy, over a few
/// seeds: what `orrery baseline record` keeps (one diff-friendly JSON file per scenario) and
/// `orrery run --baseline` compares against.
public struct Baseline: Codable, Sendable, Equatable {
    public var scenario: String
    public var file: String
    public var seeds: [UInt64]
    /// By policy name.
    public var policies: [String: Entry]
    /// The policy recorded first: runs under a policy the baseline lacks compare against it.
    public var reference: String

    public init(
        scenario: String, file: String, seeds: [UInt64], policies: [String: Entry],
        reference: String
    ) {
        self.scenario = scenario
        self.file = file
        self.seeds = seeds
        self.policies = policies
        self.reference = reference
    }

    public struct Entry: Codable, Sendable, Equatable {
        public var metrics: [String: Spread]
        public var finalStates: [String: Int]
        /// By seed, as text (JSON keys).
        public var traceHashes: [String: String]

        enum CodingKeys: String, CodingKey {
            case metrics
            case finalStates = "final_states"
            case traceHashes = "trace_hashes"
        }
    }

    /// Median, minimum and maximum of a figure over the seeds.
    public struct Spread: Codable, Sendable, Equatable {
        public var median: Double
        public var min: Double
        public var max: Double

        public init(_ values: [Double]) {
            let sorted = values.sorted()
            median =
                sorted.isEmpty
                ? 0
                : sorted.count % 2 == 1
                    ? sorted[sorted.count / 2]
                    : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
            min = sorted.first ?? 0
            max = sorted.last ?? 0
        }
    }

    /// The figures compared, each lower-is-better except where noted.
    public static let figures = [
        "makespan_s", "turnaround_p50_s", "turnaround_p95_s", "transfers", "transferred_bytes",
        "retries", "steals",
    ]

    /// Figures whose change is reported but never fails a run (more steals is not worse).
    public static let informational: Set<String> = ["steals"]

    public static func figures(of record: RunRecord) -> [String: Double] {
        let metrics = Metrics(record)
        return [
            "makespan_s": Double(metrics.makespan) / 1e9,
            "turnaround_p50_s": metrics.turnaround.p50,
            "turnaround_p95_s": metrics.turnaround.p95,
            "transfers": Double(metrics.transfers),
            "transferred_bytes": Double(metrics.transferredBytes),
            "retries": Double(metrics.retries),
            "steals": Double(metrics.stealsWon),
        ]
    }

    /// One policy's entry from its runs (one per seed, in seed order).
    public static func entry(_ runs: [RunRecord]) -> Entry {
        var metrics: [String: Spread] = [:]
        let figures = runs.map(Self.figures(of:))
        for name in Self.figures { metrics[name] = Spread(figures.map { $0[name] ?? 0 }) }
        var hashes: [String: String] = [:]
        for run in runs { hashes[String(run.header.seed)] = run.header.traceHash }
        return Entry(
            metrics: metrics, finalStates: Metrics(runs[0]).finalStates, traceHashes: hashes)
    }

    public func json() throws -> String {
        try jsonEncoder(pretty: true).text(self) + "\n"
    }

    /// The file a scenario's baseline lives in.
    public static func path(for scenario: String, in folder: String) -> URL {
        URL(fileURLWithPath: folder).appendingPathComponent("\(scenario).json")
    }
}

/// One run held against its baseline.
public struct BaselineCheck: Sendable, Encodable {
    public struct Row: Sendable, Encodable {
        public var scenario: String
        public var policy: String
        public var figure: String
        public var baseline: Baseline.Spread
        public var now: Double
        public var verdict: Verdict
    }

    public enum Verdict: String, Sendable, Encodable {
        case regressed = "REGRESSED"
        case improved = "improved"
        case changed = "changed"
    }

    public var rows: [Row] = []
    public var failures: [String] = []

    public var failed: Bool { !failures.isEmpty || rows.contains { $0.verdict == .regressed } }

    /// Compares `record` with `baseline`: a figure regresses when it is above both the
    /// baseline's median by more than `tolerance` and the highest value recorded (so a noisy
    /// figure does not flap); it improved when below both the median by more than the
    /// tolerance and the lowest value. Changed final states fail; with `strict`, so does a
    /// trace hash that differs from the one recorded for the seed.
    public init(_ record: RunRecord, against baseline: Baseline, tolerance: Double, strict: Bool) {
        let header = record.header
        let policy = baseline.policies[header.policy] != nil ? header.policy : baseline.reference
        guard let entry = baseline.policies[policy] else {
            failures.append("\(header.scenario): the baseline has no policies")
            return
        }
        let figures = Baseline.figures(of: record)
        for name in Baseline.figures {
            guard let spread = entry.metrics[name], let now = figures[name] else { continue }
            let high = Swift.max(spread.median * (1 + tolerance), spread.max) + 1e-12
            let low = Swift.min(spread.median * (1 - tolerance), spread.min) - 1e-12
            let verdict: Verdict? =
                now > high
                ? (Baseline.informational.contains(name) ? .changed : .regressed)
                : now < low ? (Baseline.informational.contains(name) ? .changed : .improved) : nil
            if let verdict {
                rows.append(
                    Row(
                        scenario: header.scenario, policy: "\(header.policy) vs \(policy)",
                        figure: name, baseline: spread, now: now, verdict: verdict))
            }
        }
        let states = Metrics(record).finalStates
        if states != entry.finalStates {
            failures.append(
                "\(header.scenario) (\(header.policy) vs \(policy)): final states \(describe(states)), baseline \(describe(entry.finalStates))"
            )
        }
        if strict, let recorded = entry.traceHashes[String(header.seed)],
            recorded != header.traceHash || policy != header.policy
        {
            failures.append(
                "\(header.scenario) (\(header.policy), seed \(header.seed)): trace hash \(header.traceHash), baseline \(recorded)"
            )
        } else if strict, entry.traceHashes[String(header.seed)] == nil {
            failures.append("\(header.scenario): the baseline has no trace for seed \(header.seed)")
        }
    }

    private func describe(_ states: [String: Int]) -> String {
        states.keys.sorted().map { "\($0) \(states[$0]!)" }.joined(separator: ", ")
    }

    /// The regression table, aligned for a terminal.
    public static func table(_ checks: [BaselineCheck]) -> String {
        let rows = checks.flatMap(\.rows)
        var lines: [String] = []
        if !rows.isEmpty {
            let header = [
                "scenario", "policy", "figure", "baseline median (range)", "now", "change", "",
            ]
            var cells = [header]
            for row in rows {
                let change =
                    row.baseline.median == 0
                    ? "new"
                    : String(
                        format: "%+.1f%%",
                        (row.now - row.baseline.median) / row.baseline.median * 100)
                cells.append([
                    row.scenario, row.policy, row.figure,
                    "\(number(row.baseline.median)) (\(number(row.baseline.min))–\(number(row.baseline.max)))",
                    number(row.now), change, row.verdict.rawValue,
                ])
            }
            let widths = header.indices.map { column in cells.map { $0[column].count }.max() ?? 0 }
            for row in cells {
                lines.append(
                    row.indices.map {
                        row[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0)
                    }.joined(separator: "  ").trimmingCharacters(in: .whitespaces))
            }
        }
        lines += checks.flatMap(\.failures).map { "✗ \($0)" }
        return lines.joined(separator: "\n")
    }

    private static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15
            ? String(Int64(value)) : String(format: "%.4g", value)
    }
}
