import Reports

/// Rendering every report file (and the trace) of a 100,000-task run.
enum ReportBenchmarks {
    static func run() -> [Figure] {
        let record = synthetic(tasks: 100_000, workers: 100, threads: 2)
        var bytes = 0
        let render = bestRate(operations: 1, repetitions: 3) {
            let files = try! ReportWriter.render(record)
            bytes = files.first { $0.0 == "gantt.svg" }!.1.utf8.count
            keep(try! record.jsonLines())
        }
        let trace = bestRate(operations: 1, repetitions: 3) { keep(try! record.jsonLines()) }
        return [
            Figure(
                name: "render 100k-task report (all files)", unit: "s", value: 1 / render,
                baselineName: "trace.jsonl alone", baseline: 1 / trace),
            Figure(
                name: "  gantt.svg size", unit: "KB", value: Double(bytes) / 1e3,
                baselineName: "(limit 5 MB)", baseline: 5000),
        ]
    }

    /// A run of `tasks` one-second-ish tasks spread over the workers' threads.
    static func synthetic(tasks: Int, workers: Int, threads: Int) -> RunRecord {
        var events: [RunRecord.Event] = []
        events.reserveCapacity(tasks * 5)
        let lanes = workers * threads
        var finalStates: [String: String] = [:]
        for index in 0..<tasks {
            let key = "task-\(index)"
            let worker = "w\(index % lanes / threads)"
            let start = Int64(index / lanes) * 10_000_000
            events.append(
                RunRecord.Event(
                    time: start, kind: "scheduler", task: key, from: "released", to: "waiting"))
            events.append(RunRecord.Event(time: start, kind: "execute", task: key, worker: worker))
            events.append(
                RunRecord.Event(
                    time: start + 9_000_000, kind: "executed", task: key, worker: worker, from: "ok"
                ))
            events.append(
                RunRecord.Event(
                    time: start + 9_000_000, kind: "scheduler", task: key, from: "processing",
                    to: "memory"))
            finalStates[key] = "finished"
        }
        return RunRecord(
            header: RunRecord.Header(
                scenario: "synthetic", file: "synthetic.yaml", seed: 1, mode: "sim",
                policy: "locality",
                traceHash: "0", replay: "", passed: true, wallSeconds: 1, events: events.count,
                workers: (0..<workers).map { .init(name: "w\($0)", threads: threads) },
                expectations: [], invariantViolations: [], hang: [], finalStates: finalStates),
            events: events)
    }
}
