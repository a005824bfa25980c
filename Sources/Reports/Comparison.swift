import Scenarios

/// Two runs side by side (sim and real, policy A and B, before and after a change): makespans,
/// per-task timing differences, agreement on workers and final states, completion-order
/// correlation, and the first point where the scheduler's decisions differ.
public struct Comparison: Sendable, Encodable {
    public struct Side: Sendable, Encodable {
        public var scenario: String
        public var mode: String
        public var policy: String
        public var seed: UInt64
        public var traceHash: String
        /// Seconds.
        public var makespan: Double
        /// Transfers that completed, and the bytes they moved.
        public var transfers: Int
        public var transferredBytes: Int64

        enum CodingKeys: String, CodingKey {
            case scenario, mode, policy, seed, traceHash, transfers, transferredBytes
            case makespan = "makespanS"
        }
    }

    /// Median, 90th and 95th percentile of absolute differences, in seconds.
    public struct Error: Sendable, Encodable {
        public var count: Int
        public var median: Double
        public var p90: Double
        public var p95: Double
    }

    /// How many tasks finished on a worker in each run.
    public struct WorkerTasks: Sendable, Encodable, Equatable {
        public var worker: String
        public var a: Int
        public var b: Int
    }

    public struct Divergence: Sendable, Encodable {
        /// Position in each run's sequence of decisions.
        public var index: Int
        public var timeA: Double
        public var timeB: Double
        public var a: String
        public var b: String
    }

    public var a: Side
    public var b: Side
    /// (B − A) / A.
    public var makespanChange: Double
    public var startDifference: Error
    public var finishDifference: Error
    /// Share of tasks finished in both that finished on a worker of the same name.
    public var workerAgreement: Double
    /// Tasks finished on each worker, by worker name (every worker either run names).
    public var tasksPerWorker: [WorkerTasks]
    /// Share of tasks with the same final status; those that differ, up to 20.
    public var finalStateAgreement: Double
    public var differingStates: [String]
    /// Spearman's rank correlation of the completion order of tasks finished in both.
    public var completionOrderCorrelation: Double
    public var firstDivergence: Divergence?

    public init(_ first: RunRecord, _ second: RunRecord) {
        func side(_ record: RunRecord) -> Side {
            let metrics = Metrics(record)
            return Side(
                scenario: record.header.scenario, mode: record.header.mode,
                policy: record.header.policy,
                seed: record.header.seed, traceHash: record.header.traceHash,
                makespan: Double(metrics.makespan) / 1e9, transfers: metrics.transfers,
                transferredBytes: metrics.transferredBytes)
        }
        a = side(first)
        b = side(second)
        makespanChange = a.makespan > 0 ? (b.makespan - a.makespan) / a.makespan : 0
        let timesA = TaskTimes(first)
        let timesB = TaskTimes(second)
        startDifference = Self.error(timesA.start, timesB.start)
        finishDifference = Self.error(timesA.finish, timesB.finish)
        let both = timesA.finish.keys.filter { timesB.finish[$0] != nil }.sorted()
        let sameWorker = both.filter { timesA.worker[$0] == timesB.worker[$0] }.count
        workerAgreement = both.isEmpty ? 1 : Double(sameWorker) / Double(both.count)
        let countsA = timesA.tasksPerWorker
        let countsB = timesB.tasksPerWorker
        let workers = (first.header.workers + second.header.workers).map(\.name)
        var named = Set<String>()
        tasksPerWorker = (workers + countsA.keys.sorted() + countsB.keys.sorted())
            .filter { named.insert($0).inserted }
            .map { WorkerTasks(worker: $0, a: countsA[$0] ?? 0, b: countsB[$0] ?? 0) }
        let keys = Set(first.header.finalStates.keys).union(second.header.finalStates.keys).sorted()
        let differing = keys.filter {
            first.header.finalStates[$0] != second.header.finalStates[$0]
        }
        finalStateAgreement =
            keys.isEmpty ? 1 : Double(keys.count - differing.count) / Double(keys.count)
        differingStates = differing.prefix(20).map {
            "\($0): \(first.header.finalStates[$0] ?? "-") vs \(second.header.finalStates[$0] ?? "-")"
        }
        completionOrderCorrelation = Self.spearman(
            both.map { timesA.finish[$0]! }, both.map { timesB.finish[$0]! })
        firstDivergence = Self.divergence(first, second)
    }

    /// First and last-success times and the finishing worker of each task.
    struct TaskTimes {
        var start: [String: Int64] = [:]
        var finish: [String: Int64] = [:]
        var worker: [String: String] = [:]

        /// Tasks whose last success was on each worker.
        var tasksPerWorker: [String: Int] {
            worker.values.reduce(into: [:]) { counts, name in counts[name, default: 0] += 1 }
        }

        init(_ record: RunRecord) {
            for event in record.events {
                guard let task = event.task else { continue }
                if event.kind == "execute", start[task] == nil { start[task] = event.time }
                if event.kind == "executed", event.from == "ok" {
                    finish[task] = event.time
                    worker[task] = event.worker
                }
            }
        }
    }

    static func error(_ a: [String: Int64], _ b: [String: Int64]) -> Error {
        let differences = a.keys.compactMap { key in b[key].map { Double(abs($0 - a[key]!)) / 1e9 }
        }.sorted()
        func rank(_ p: Double) -> Double {
            guard !differences.isEmpty else { return 0 }
            let position = Int((p * Double(differences.count)).rounded(.up))
            return differences[min(max(position, 1), differences.count) - 1]
        }
        return Error(
            count: differences.count, median: rank(0.5), p90: rank(0.9), p95: rank(0.95))
    }

    /// Rank correlation with ties averaged; 1 when fewer than two values.
    static func spearman(_ x: [Int64], _ y: [Int64]) -> Double {
        guard x.count > 1 else { return 1 }
        func ranks(_ values: [Int64]) -> [Double] {
            let order = values.indices.sorted { (values[$0], $0) < (values[$1], $1) }
            var result = [Double](repeating: 0, count: values.count)
            var start = 0
            while start < order.count {
                var end = start
                while end + 1 < order.count, values[order[end + 1]] == values[order[start]] {
                    end += 1
                }
                for position in start...end {
                    result[order[position]] = Double(start + end) / 2 + 1
                }
                start = end + 1
            }
            return result
        }
        let rx = ranks(x)
        let ry = ranks(y)
        let mean = Double(x.count + 1) / 2
        var covariance = 0.0
        var varianceX = 0.0
        var varianceY = 0.0
        for index in rx.indices {
            covariance += (rx[index] - mean) * (ry[index] - mean)
            varianceX += (rx[index] - mean) * (rx[index] - mean)
            varianceY += (ry[index] - mean) * (ry[index] - mean)
        }
        return varianceX > 0 && varianceY > 0
            ? covariance / (varianceX * varianceY).squareRoot() : 1
    }

    /// The first decision that differs between the runs: a scheduler transition (task, from,
    /// to) or where an execution started (task, worker).
    static func divergence(_ first: RunRecord, _ second: RunRecord) -> Divergence? {
        let decisions: (RunRecord) -> [RunRecord.Event] = { record in
            record.events.filter { $0.kind == "scheduler" || $0.kind == "execute" }
        }
        let a = decisions(first)
        let b = decisions(second)
        func describe(_ event: RunRecord.Event?) -> String {
            guard let event else { return "(run ended)" }
            if event.kind == "execute" {
                return "\(event.task ?? "-") starts on \(event.worker ?? "-")"
            }
            let place = event.worker.map { " on \($0)" } ?? ""
            return "\(event.task ?? "-") \(event.from ?? "")→\(event.to ?? "")\(place)"
        }
        for index in 0..<max(a.count, b.count) {
            let x = index < a.count ? a[index] : nil
            let y = index < b.count ? b[index] : nil
            // Where a task runs is the execution's decision; a scheduler transition names
            // a worker in some traces (recorded dask runs) and not in others.
            if x?.kind != y?.kind || x?.task != y?.task || x?.from != y?.from || x?.to != y?.to
                || (x?.kind == "execute" && x?.worker != y?.worker)
            {
                return Divergence(
                    index: index, timeA: Double(x?.time ?? 0) / 1e9,
                    timeB: Double(y?.time ?? 0) / 1e9,
                    a: describe(x), b: describe(y))
            }
        }
        return nil
    }
}

/// `compare.md`, `compare.json` and `compare.html` (both Gantt charts on one time axis).
public enum ComparisonRenderer {
    /// A piece of a figure's value: words, or something to set as code (a trace hash).
    enum Piece {
        case text(String)
        case code(String)
    }

    /// The comparison's figures, by name, for the Markdown and the HTML page alike.
    static func figures(_ comparison: Comparison) -> [(name: String, value: [Piece])] {
        let a = comparison.a
        let b = comparison.b
        let change =
            (comparison.makespanChange >= 0 ? "+" : "") + percent(comparison.makespanChange)
        let start = comparison.startDifference
        let finish = comparison.finishDifference
        var rows: [(name: String, value: [Piece])] = [
            ("makespan A, B", [.text("\(fixed(a.makespan))s, \(fixed(b.makespan))s (\(change))")]),
            (
                "start difference median, p90, p95",
                [
                    .text(
                        "\(fixed(start.median))s, \(fixed(start.p90))s, \(fixed(start.p95))s over \(start.count) tasks"
                    )
                ]
            ),
            (
                "finish difference median, p90, p95",
                [
                    .text(
                        "\(fixed(finish.median))s, \(fixed(finish.p90))s, \(fixed(finish.p95))s over \(finish.count) tasks"
                    )
                ]
            ),
            ("same worker", [.text(percent(comparison.workerAgreement))]),
            (
                "tasks per worker A, B",
                [
                    .text(
                        comparison.tasksPerWorker.map { "\($0.worker) \($0.a), \($0.b)" }
                            .joined(separator: "; "))
                ]
            ),
            (
                "transfers, bytes A; B",
                [
                    .text(
                        "\(a.transfers), \(a.transferredBytes); \(b.transfers), \(b.transferredBytes)"
                    )
                ]
            ),
            ("same final state", [.text(percent(comparison.finalStateAgreement))]),
            (
                "completion-order rank correlation",
                [.text(fixed(comparison.completionOrderCorrelation))]
            ),
            ("trace hashes", [.code(a.traceHash), .text(", "), .code(b.traceHash)]),
        ]
        if let divergence = comparison.firstDivergence {
            rows.append(
                (
                    "first divergence",
                    [
                        .text(
                            "decision #\(divergence.index): A \(divergence.a) at \(fixed(divergence.timeA))s, B \(divergence.b) at \(fixed(divergence.timeB))s"
                        )
                    ]
                ))
        } else {
            rows.append(
                (
                    "first divergence",
                    [.text("none: the same scheduler decisions in the same order")]
                ))
        }
        return rows
    }

    public static func markdown(_ comparison: Comparison) -> String {
        let a = comparison.a
        let b = comparison.b
        var lines = [
            "# \(a.scenario) (\(a.mode), \(a.policy), seed \(a.seed)) vs \(b.scenario) (\(b.mode), \(b.policy), seed \(b.seed))",
            "",
            "| figure | value |", "|---|---|",
        ]
        for (name, value) in figures(comparison) {
            let text = value.map {
                switch $0 {
                case .text(let words): words
                case .code(let code): "`\(code)`"
                }
            }
            lines.append("| \(name) | \(text.joined()) |")
        }
        if !comparison.differingStates.isEmpty {
            lines +=
                ["", "Final states that differ:", ""] + comparison.differingStates.map { "- \($0)" }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// compare.json (pretty) or one line of `--format json`; keys in snake_case, as in every
    /// JSON the command writes.
    public static func json(_ comparison: Comparison, pretty: Bool = true) throws -> String {
        try jsonEncoder(pretty: pretty, snakeCase: true).text(comparison) + "\n"
    }

    public static func html(_ comparison: Comparison, _ first: RunRecord, _ second: RunRecord)
        -> String
    {
        var ganttA = Gantt(first)
        var ganttB = Gantt(second)
        let end = max(ganttA.end, ganttB.end)
        ganttA.end = end
        ganttB.end = end
        let table = figures(comparison).map { name, value in
            let html = value.map {
                switch $0 {
                case .text(let words): escaped(words)
                case .code(let code): "<code>\(escaped(code))</code>"
                }
            }
            return "<tr><td>\(escaped(name))</td><td>\(html.joined())</td></tr>"
        }
        let states =
            comparison.differingStates.isEmpty
            ? ""
            : "<h2>Final states that differ</h2><ul>"
                + comparison.differingStates.map { "<li>\(escaped($0))</li>" }.joined() + "</ul>"
        return """
            <!DOCTYPE html>
            <html lang="en" xmlns="http://www.w3.org/1999/xhtml"><head><meta charset="utf-8"/><title>Comparison — Orrery</title>
            <style>body{font-family:system-ui,sans-serif;margin:2rem;color:#111827;max-width:1260px}
            table{border-collapse:collapse}td{border:1px solid #e5e7eb;padding:.25rem .6rem}
            .chart{overflow-x:auto;border:1px solid #e5e7eb;margin:.5rem 0}</style></head><body>
            <h1>\(escaped(comparison.a.scenario)) — A vs B</h1>
            <table>\(table.joined(separator: "\n"))</table>\(states)
            <h2>A: \(escaped(comparison.a.mode)), \(escaped(comparison.a.policy)), seed \(comparison.a.seed)</h2>
            <div class="chart">\(GanttRenderer.svg(ganttA, title: "A", standalone: false))</div>
            <h2>B: \(escaped(comparison.b.mode)), \(escaped(comparison.b.policy)), seed \(comparison.b.seed)</h2>
            <div class="chart">\(GanttRenderer.svg(ganttB, title: "B", standalone: false))</div>
            </body></html>

            """
    }
}
