import Scenarios

/// `summary.md` and `summary.json`: the run, its expectations, its figures.
///
/// The Markdown leaves out wall-clock figures, so the same run always gives the same file;
/// the JSON has them.
public enum SummaryRenderer {
    public static func markdown(_ record: RunRecord, _ metrics: Metrics) -> String {
        let header = record.header
        var lines = [
            "# \(header.scenario): \(header.passed ? "PASS" : "FAIL")", "",
            "| run | |", "|---|---|",
            "| scenario file | `\(header.file)` |",
            "| mode, policy, seed | \(header.mode), \(header.policy), \(header.seed) |",
            "| trace hash | `\(header.traceHash)` |",
            "| replay | `\(header.replay)` |", "",
        ]
        if !header.expectations.isEmpty {
            lines += ["## Expectations", "", "| | expectation | found |", "|---|---|---|"]
            for expectation in header.expectations {
                lines.append(
                    "| \(expectation.ok ? "✓" : "✗") | \(expectation.expectation) | \(expectation.detail) |"
                )
            }
            lines.append("")
        }
        if !header.invariantViolations.isEmpty || !header.hang.isEmpty || header.stopped != nil {
            lines += ["## Problems", ""]
            lines += header.invariantViolations.map { "- invariant: \($0)" }
            if !header.hang.isEmpty {
                lines.append("- hang: \(header.hang.joined(separator: ", "))")
            }
            if let stopped = header.stopped { lines.append("- stopped: \(stopped)") }
            lines.append("")
        }
        lines += ["## Figures", "", "| figure | value |", "|---|---|"]
        lines += metrics.rows.map { "| \($0.name) | \($0.value) |" }
        lines += ["", "## Workers", "", "| worker | threads | utilisation |", "|---|---|---|"]
        for worker in header.workers {
            lines.append(
                "| \(worker.name) | \(worker.threads) | \(percent(metrics.utilisation[worker.name] ?? 0)) |"
            )
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public static func json(_ record: RunRecord, _ metrics: Metrics) throws -> String {
        struct Summary: Encodable {
            var run: RunRecord.Header
            var metrics: Metrics
        }
        return try jsonEncoder(pretty: true).text(Summary(run: record.header, metrics: metrics))
            + "\n"
    }
}
