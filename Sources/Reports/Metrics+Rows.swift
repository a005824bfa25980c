extension Metrics {
    /// The figures a report shows, by name, in order: the table of `summary.md` and of
    /// `index.html` alike (the page adds the wall-clock speed-up, which the Markdown leaves
    /// out so the same run always gives the same file).
    var rows: [(name: String, value: String)] {
        [
            ("makespan", seconds(makespan)),
            ("utilisation, overall", percent(overallUtilisation)),
            ("queue wait mean / p50 / p95 / p99", Self.text(queueWait)),
            ("turnaround mean / p50 / p95 / p99", Self.text(turnaround)),
            ("transfers, bytes", "\(transfers), \(transferredBytes)"),
            ("retries", "\(retries)"),
            ("steals tried, won", "\(stealsTried), \(stealsWon)"),
            (
                "steals refused, aborted, stale, rescheduled",
                "\(stealsRefused), \(stealsAborted), \(stealsStale), \(stealsRescheduled)"
            ),
            ("cancelled futures, on workers", "\(cancelledFutures), \(cancelledOnWorkers)"),
            ("scheduler events", "\(schedulerEvents)"),
            (
                "final states",
                finalStates.keys.sorted().map { "\($0) \(finalStates[$0]!)" }
                    .joined(separator: ", ")
            ),
        ]
    }

    private static func text(_ value: Distribution) -> String {
        [value.mean, value.p50, value.p95, value.p99].map { fixed($0) + "s" }.joined(
            separator: " / ")
    }
}
