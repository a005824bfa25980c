import Scenarios

/// Every scenario under every policy: makespan relative to the best policy for each scenario,
/// summarised per policy (mean, median, worst) with the full grid, the table simulator papers
/// publish.
public struct PolicyMatrix: Sendable, Encodable {
    public struct Cell: Sendable, Encodable {
        /// Median makespan over the seeds, in seconds.
        public var makespan: Double
        /// Makespan over the scenario's best policy's.
        public var relative: Double
        /// Whether every seed's run passed its expectations.
        public var passed: Bool
    }

    public struct Summary: Sendable, Encodable {
        public var policy: String
        public var mean: Double
        public var median: Double
        public var worst: Double
    }

    public var policies: [String]
    public var scenarios: [String]
    /// Seeds per cell (each file's seed upward).
    public var seedsPerCell: Int
    /// cells[scenario][policy], in the orders above.
    public var cells: [[Cell]]
    public var summaries: [Summary]

    /// `runs[scenario][policy]` holds one record per seed.
    public init(policies: [String], scenarios: [String], runs: [[[RunRecord]]]) {
        self.policies = policies
        self.scenarios = scenarios
        seedsPerCell = runs.first?.first?.count ?? 0
        let cells: [[Cell]] = runs.map { row in
            let makespans = row.map { records -> Double in
                Baseline.Spread(records.map { Double(Metrics($0).makespan) / 1e9 }).median
            }
            let best = makespans.filter { $0 > 0 }.min() ?? 0
            return zip(row, makespans).map { records, makespan in
                Cell(
                    makespan: makespan, relative: best > 0 ? makespan / best : 1,
                    passed: records.allSatisfy(\.header.passed))
            }
        }
        self.cells = cells
        summaries = policies.indices.map { column in
            let relatives = cells.map { $0[column].relative }
            let spread = Baseline.Spread(relatives)
            return Summary(
                policy: policies[column],
                mean: relatives.reduce(0, +) / Double(max(relatives.count, 1)),
                median: spread.median, worst: spread.max)
        }
    }

    public func markdown() -> String {
        var lines = [
            "# Policy matrix", "",
            "Makespan relative to the best policy for each scenario (1.00 = best), median over \(seedsPerCell) seed(s) per cell.",
            "",
            "| policy | mean | median | worst |", "|---|---|---|---|",
        ]
        for summary in summaries.sorted(by: { ($0.mean, $0.policy) < ($1.mean, $1.policy) }) {
            lines.append(
                "| \(summary.policy) | \(fixed(summary.mean, 2)) | \(fixed(summary.median, 2)) | \(fixed(summary.worst, 2)) |"
            )
        }
        lines += [
            "", "| scenario | " + policies.joined(separator: " | ") + " |",
            "|---|" + policies.map { _ in "---|" }.joined(),
        ]
        for (scenario, row) in zip(scenarios, cells) {
            lines.append(
                "| \(scenario) | "
                    + row.map { cell in "\(fixed(cell.relative, 2))\(cell.passed ? "" : " ✗")" }
                    .joined(separator: " | ") + " |")
        }
        lines += ["", "✗: some run under this policy failed the scenario's expectations."]
        return lines.joined(separator: "\n") + "\n"
    }

    /// matrix.json (pretty) or one line of `--format json`; keys in snake_case, as in every
    /// JSON the command writes.
    public func json(pretty: Bool = true) throws -> String {
        try jsonEncoder(pretty: pretty, snakeCase: true).text(self) + "\n"
    }

    /// A self-contained page: a bar chart of each policy's mean and worst relative makespan,
    /// and the grid shaded from best to worst.
    public func html() -> String {
        let ordered = summaries.sorted { ($0.mean, $0.policy) < ($1.mean, $1.policy) }
        let maximum = max(ordered.map(\.worst).max() ?? 1, 1)
        let barHeight = 22.0
        let width = 900.0
        let left = 120.0
        var chart = [
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(Double(ordered.count) * barHeight * 1.5 + 40))\" font-family=\"sans-serif\" font-size=\"12\">"
        ]
        for (index, summary) in ordered.enumerated() {
            let y = 10 + Double(index) * barHeight * 1.5
            let scale = (width - left - 180) / maximum
            chart.append("<text x=\"4\" y=\"\(Int(y + 15))\">\(escaped(summary.policy))</text>")
            chart.append(
                "<rect x=\"\(Int(left))\" y=\"\(Int(y))\" width=\"\(Int(summary.worst * scale))\" height=\"\(Int(barHeight))\" fill=\"#fecaca\"><title>worst \(fixed(summary.worst, 2))</title></rect>"
            )
            chart.append(
                "<rect x=\"\(Int(left))\" y=\"\(Int(y))\" width=\"\(Int(summary.mean * scale))\" height=\"\(Int(barHeight))\" fill=\"#2563eb\"><title>mean \(fixed(summary.mean, 2))</title></rect>"
            )
            chart.append(
                "<text x=\"\(Int(left + summary.worst * scale + 6))\" y=\"\(Int(y + 15))\">\(fixed(summary.mean, 2)) (worst \(fixed(summary.worst, 2)))</text>"
            )
        }
        chart.append("</svg>")
        var grid = [
            "<table><tr><th>scenario</th>" + policies.map { "<th>\(escaped($0))</th>" }.joined()
                + "</tr>"
        ]
        for (scenario, row) in zip(scenarios, cells) {
            grid.append(
                "<tr><td>\(escaped(scenario))</td>"
                    + row.map { cell in
                        let shade = Int(min(1, (cell.relative - 1) / max(maximum - 1, 0.01)) * 180)
                        return
                            "<td style=\"background:rgb(255,\(255 - shade),\(255 - shade))\" title=\"makespan \(fixed(cell.makespan))s\">\(fixed(cell.relative, 2))\(cell.passed ? "" : " ✗")</td>"
                    }.joined() + "</tr>")
        }
        grid.append("</table>")
        return """
            <!DOCTYPE html>
            <html lang="en" xmlns="http://www.w3.org/1999/xhtml"><head><meta charset="utf-8"/><title>Policy matrix — Orrery</title>
            <style>body{font-family:system-ui,sans-serif;margin:2rem;color:#111827}table{border-collapse:collapse}
            td,th{border:1px solid #e5e7eb;padding:.25rem .6rem;text-align:right;white-space:nowrap}td:first-child,th:first-child{text-align:left}</style></head><body>
            <h1>Policy matrix</h1>
            <p>Makespan relative to the best policy for each scenario (1.00 is best); blue: mean, red: worst. Median over \(seedsPerCell) seed(s) per cell. ✗: a run failed the scenario's expectations.</p>
            \(chart.joined(separator: "\n"))
            \(grid.joined(separator: "\n"))
            </body></html>

            """
    }
}
