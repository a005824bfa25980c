import Foundation
import Reports
import Scenarios
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

func run(_ name: String, policy: String? = nil, seed: UInt64? = nil) throws -> RunRecord {
    let path = root.appendingPathComponent("scenarios/\(name).yaml").path
    let scenario = try ScenarioLoader.load(
        String(contentsOfFile: path, encoding: .utf8), file: "scenarios/\(name).yaml")
    let (result, simulation) = ScenarioRunner.simulate(
        scenario, seed: seed, policy: policy,
        perturbation: .implied(by: seed ?? scenario.seed, of: scenario))
    return RunRecord(result: result, cluster: simulation, finalStates: result.finalStates)
}

/// Whether `text` is well-formed XML.
func parsesAsXML(_ text: String) -> Bool {
    XMLParser(data: Data(text.utf8)).parse()
}

func event(
    _ time: Int64, _ kind: String, task: String? = nil, worker: String? = nil,
    message: String? = nil, from: String? = nil, to: String? = nil, detail: Int64 = 0
) -> RunRecord.Event {
    RunRecord.Event(
        time: time, kind: kind, task: task, worker: worker, message: message, from: from, to: to,
        detail: detail)
}

@Suite struct MetricsTests {
    /// Two workers; x queued 1 s then ran 2 s on a; y failed once on b and ran again; one
    /// transfer of 100 bytes; a steal request won; a cancelled future.
    static let record = RunRecord(
        header: RunRecord.Header(
            scenario: "hand", file: "hand.yaml", seed: 1, mode: "sim", policy: "locality",
            traceHash: "0", replay: "orrery run hand.yaml --seed 1", passed: true, wallSeconds: 0.5,
            events: 0, workers: [.init(name: "a", threads: 1), .init(name: "b", threads: 2)],
            expectations: [], invariantViolations: [], hang: [],
            finalStates: ["x": "finished", "y": "finished", "z": "cancelled"]),
        events: [
            event(0, "joined", worker: "a"), event(0, "joined", worker: "b"),
            event(0, "scheduler", task: "x", from: "released", to: "waiting"),
            event(0, "scheduler", task: "y", from: "released", to: "waiting"),
            event(1_000_000_000, "execute", task: "x", worker: "a"),
            event(0, "execute", task: "y", worker: "b"),
            event(500_000_000, "executed", task: "y", worker: "b", from: "failed"),
            event(500_000_000, "execute", task: "y", worker: "b"),
            event(1_500_000_000, "fetch", task: "x", worker: "b", detail: 100),
            event(1_600_000_000, "fetched", task: "x", worker: "b", from: "ok", detail: 100),
            event(2_000_000_000, "executed", task: "y", worker: "b", from: "ok"),
            event(3_000_000_000, "executed", task: "x", worker: "a", from: "ok"),
            event(
                100, "delivered", task: "x", worker: "a", message: "stealRequest",
                from: "scheduler", to: "a"),
            event(200, "note", task: "x", worker: "b", from: "steal-confirmed"),
            event(300, "future", task: "z", from: "cancelled"),
            event(
                400, "delivered", task: "x", worker: "a", message: "taskFinished", from: "a",
                to: "scheduler"),
        ])

    @Test func figuresComputedByHand() {
        let metrics = Metrics(Self.record)
        #expect(metrics.makespan == 3_000_000_000)
        // a busy 2 s of 3 s; b busy 0.5 + 1.5 = 2 s of 2 threads × 3 s; overall 4 of 9.
        #expect(metrics.utilisation["a"] == 2.0 / 3.0)
        #expect(metrics.utilisation["b"] == 2.0 / 6.0)
        #expect(abs(metrics.overallUtilisation - 4.0 / 9.0) < 1e-12)
        // Queue wait: x 1 s, y 0 s. Turnaround: x 3 s, y 2 s.
        #expect(
            metrics.queueWait.count == 2 && metrics.queueWait.mean == 0.5
                && metrics.queueWait.p50 == 0)
        #expect(metrics.queueWait.p99 == 1)
        #expect(
            metrics.turnaround.mean == 2.5 && metrics.turnaround.p50 == 2
                && metrics.turnaround.p95 == 3)
        #expect(metrics.transfers == 1 && metrics.transferredBytes == 100)
        #expect(metrics.retries == 1)
        #expect(metrics.stealsTried == 1 && metrics.stealsWon == 1)
        #expect(metrics.cancelledFutures == 1)
        #expect(metrics.schedulerEvents == 1)
        #expect(metrics.finalStates == ["finished": 2, "cancelled": 1])
        #expect(metrics.speedUp == 6)
    }

    @Test func ganttLaysExecutionsOnThreads() {
        let gantt = Gantt(Self.record)
        let y = gantt.bars.filter { $0.task == "y" }
        #expect(y.map(\.outcome) == [.retried, .finished])
        #expect(y.map(\.attempt) == [1, 2])
        #expect(gantt.bars.first { $0.task == "x" }?.thread == 0)
        #expect(gantt.transfers.count == 1)
    }
}

@Suite struct ReportFileTests {
    /// summary.md of two small scenarios against golden files; `RECORD_SNAPSHOTS=1` re-records.
    @Test(arguments: ["retries", "cancel-during-run"])
    func summaryMatchesGolden(name: String) throws {
        let record = try run(name)
        let markdown = SummaryRenderer.markdown(record, Metrics(record))
        let golden = root.appendingPathComponent("Tests/ReportsTests/Golden/\(name).md")
        if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
            try markdown.write(to: golden, atomically: true, encoding: .utf8)
        }
        #expect(markdown == (try String(contentsOf: golden, encoding: .utf8)))
    }

    @Test(arguments: [
        "lost-result-recomputed", "steal-versus-finish", "killed-worker", "slow-worker",
    ])
    func svgAndHTMLParse(name: String) throws {
        let files = Dictionary(uniqueKeysWithValues: try ReportWriter.render(try run(name)))
        #expect(parsesAsXML(files["gantt.svg"]!))
        #expect(parsesAsXML(files["index.html"]!))
        #expect(files["index.html"]!.contains("<svg"))
        #expect(
            !files["index.html"]!.contains("http://")
                || files["index.html"]!.components(separatedBy: "http://").count == 3,
            "no links but the two XML namespaces")
        let json =
            try JSONSerialization.jsonObject(with: Data(files["summary.json"]!.utf8))
            as? [String: Any]
        #expect(json?["metrics"] != nil)
        // One key style, snake_case, as every JSON the command writes; each task's final
        // status is there (it was written empty), and the metrics count them by status.
        for part in ["run", "metrics"] {
            let keys = (json?[part] as? [String: Any])?.keys.sorted() ?? []
            #expect(!keys.isEmpty)
            #expect(
                keys.allSatisfy { $0.wholeMatch(of: /[a-z0-9_]+/) != nil }, "\(part): \(keys)")
        }
        let run = json?["run"] as? [String: Any]
        #expect((run?["final_states"] as? [String: String])?.isEmpty == false)
    }

    /// A trace is the source of truth: rendering from trace.jsonl equals rendering live.
    @Test func renderingFromTheTraceFileEqualsRenderingLive() throws {
        let live = try run("lost-result-recomputed")
        let reread = try RunRecord(jsonLines: try live.jsonLines(), file: "trace.jsonl")
        #expect(reread == live)
        let a = try ReportWriter.render(live)
        let b = try ReportWriter.render(reread)
        #expect(a.map(\.0) == b.map(\.0))
        #expect(a.map(\.1) == b.map(\.1))
    }

    @Test func aBrokenTraceIsReportedWithItsLine() throws {
        let text = try run("retries").jsonLines()
        var lines = text.split(separator: "\n").map(String.init)
        lines[3] = "{not json"
        let error = #expect(throws: ReportError.self) {
            try RunRecord(jsonLines: lines.joined(separator: "\n"), file: "t.jsonl")
        }
        #expect(error?.description.hasPrefix("t.jsonl:4: error:") == true)
    }

    @Test func writesEveryFileIntoTheRunFolder() throws {
        let record = try run("retries")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "orrery-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = ReportWriter.folder(
            for: record.header, in: folder.path, filePolicy: record.header.policy)
        #expect(target.path.hasSuffix("retries/sim-seed1"))
        // Another policy than the file's gets a folder of its own.
        #expect(
            ReportWriter.folder(for: record.header, in: folder.path, filePolicy: "fifo").path
                .hasSuffix("retries/sim-\(record.header.policy)-seed1"))
        let index = try ReportWriter.write(record, to: target)
        let names = try FileManager.default.contentsOfDirectory(atPath: target.path).sorted()
        #expect(names == ["gantt.svg", "index.html", "summary.json", "summary.md", "trace.jsonl"])
        #expect(index.lastPathComponent == "index.html")
    }

    /// A report is replaced as a whole (every file of it new, swapped in at once), and what a
    /// killed write left beside the folder goes.
    @Test func aReportFolderIsReplacedWhole() throws {
        let record = try run("retries")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "orrery-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = folder.appendingPathComponent("run")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        try "stale".write(
            to: target.appendingPathComponent("summary.md"), atomically: true, encoding: .utf8)
        let leftover = folder.appendingPathComponent(".run.999.new.tmp")
        try FileManager.default.createDirectory(at: leftover, withIntermediateDirectories: true)
        try ReportWriter.write(record, to: target)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: target.path).sorted()
                == ["gantt.svg", "index.html", "summary.json", "summary.md", "trace.jsonl"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["run"])
        #expect(
            try String(contentsOf: target.appendingPathComponent("summary.md"), encoding: .utf8)
                != "stale")
        // Rendered again from its own trace, the trace is kept byte for byte.
        let trace = try String(
            contentsOf: target.appendingPathComponent("trace.jsonl"), encoding: .utf8)
        try ReportWriter.write(RunRecord(jsonLines: trace, file: "t"), to: target, trace: trace)
        #expect(
            try String(contentsOf: target.appendingPathComponent("trace.jsonl"), encoding: .utf8)
                == trace)
    }

    /// Where the system can, the old report and the new swap places in one step.
    @Test func foldersSwapInOneStep() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "orrery-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let a = folder.appendingPathComponent("a")
        let b = folder.appendingPathComponent("b")
        for (place, file) in [(a, "one"), (b, "two")] {
            try FileManager.default.createDirectory(at: place, withIntermediateDirectories: true)
            try file.write(
                to: place.appendingPathComponent(file), atomically: true, encoding: .utf8)
        }
        #expect(ReportWriter.exchange(a.path, b.path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: a.path) == ["two"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: b.path) == ["one"])
        #expect(!ReportWriter.exchange(a.path, folder.appendingPathComponent("none").path))
    }

    /// Rendering a report into a folder that holds other files (a recorded dask run's
    /// scenario, a comparison) replaces the report's files and keeps the others.
    @Test func aReportKeepsTheFolderItDoesNotWrite() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "orrery-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let nested = folder.appendingPathComponent("comparison")
        try FileManager.default.createDirectory(at: nested, withIntermediateDirectories: true)
        try "name: mine\n".write(
            to: folder.appendingPathComponent("scenario.yaml"), atomically: true, encoding: .utf8)
        try "old".write(
            to: folder.appendingPathComponent("summary.md"), atomically: true, encoding: .utf8)
        try "# A vs B\n".write(
            to: nested.appendingPathComponent("compare.md"), atomically: true, encoding: .utf8)
        try ReportWriter.write(try run("retries"), to: folder)
        #expect(
            try String(contentsOf: folder.appendingPathComponent("scenario.yaml"), encoding: .utf8)
                == "name: mine\n")
        #expect(
            try String(contentsOf: nested.appendingPathComponent("compare.md"), encoding: .utf8)
                == "# A vs B\n")
        #expect(
            try String(contentsOf: folder.appendingPathComponent("summary.md"), encoding: .utf8)
                != "old")
        #expect(
            FileManager.default.fileExists(atPath: folder.appendingPathComponent("gantt.svg").path))
    }

    @Test func outputPathsAreCheckedFirst() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "orrery-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("file").path
        #expect(FileManager.default.createFile(atPath: file, contents: Data()))
        #expect(ReportWriter.checkFolder(folder.path) == nil)
        #expect(ReportWriter.checkFolder(folder.path + "/new/deeper") == nil)
        #expect(FileManager.default.fileExists(atPath: folder.path + "/new/deeper"))
        #if os(Linux)
            // procfs takes no folders, whatever the permission bits say.
            #expect(
                ReportWriter.checkFolder("/proc/orrery-reports")?.hasPrefix(
                    "/proc/orrery-reports: error: cannot make the folder") == true)
            #expect(
                ReportWriter.checkFile("/proc/junit.xml")
                    == "/proc/junit.xml: error: cannot write in /proc")
        #endif
        #expect(ReportWriter.checkFolder(file) == "\(file): error: not a folder")
        #expect(
            ReportWriter.checkFolder(file + "/sub") == "\(file)/sub: error: \(file) is not a folder"
        )
        #expect(
            ReportWriter.checkFile(folder.path) == "\(folder.path): error: a folder, not a file")
        #expect(ReportWriter.checkFile(folder.path + "/junit.xml") == nil)
    }

    @Test func junitNamesFailures() throws {
        let passing = try run("retries")
        let failing = try run("locality-shuffle", policy: "least-loaded")
        let xml = JUnitRenderer.xml([passing, failing])
        #expect(parsesAsXML(xml))
        #expect(xml.contains("tests=\"2\" failures=\"1\""))
        #expect(
            xml.contains(
                "<failure message=\"makespan below 500ms: makespan 2.351s\" type=\"expectation\">"))
    }

    /// A sweep as JUnit: a failing case per kind of failure, naming its first seed's replay;
    /// a passing case when no seed failed.
    @Test func junitOfASweep() throws {
        let path = root.appendingPathComponent("scenarios/zoo/count-deaths-twice.yaml").path
        let scenario = try ScenarioLoader.load(contentsOf: path)
        let failing = Exploration.run(scenario, seeds: Array(1...60), jobs: 2)
        let xml = JUnitRenderer.xml(failing)
        #expect(parsesAsXML(xml))
        #expect(!failing.groups.isEmpty)
        #expect(xml.contains("failures=\"\(failing.groups.count)\""))
        #expect(xml.contains("replay: orrery replay "))
        #expect(xml.contains("first seed \(failing.groups[0].first.seed)"))
        let passing = Exploration.run(
            try ScenarioLoader.load(
                contentsOf: root.appendingPathComponent("scenarios/chain.yaml").path),
            seeds: Array(1...5), jobs: 2)
        let clean = JUnitRenderer.xml(passing)
        #expect(parsesAsXML(clean))
        #expect(clean.contains("tests=\"1\" failures=\"0\""))
        #expect(clean.contains("name=\"chain: 5 seeds\""))
    }

    @Test func comparingRuns() throws {
        let locality = try run("locality-shuffle")
        let same = Comparison(locality, locality)
        #expect(
            same.firstDivergence == nil && same.workerAgreement == 1 && same.makespanChange == 0)
        #expect(same.completionOrderCorrelation == 1 && same.finalStateAgreement == 1)
        let other = Comparison(locality, try run("locality-shuffle", policy: "least-loaded"))
        #expect(other.makespanChange > 5)
        #expect(other.workerAgreement < 1)
        #expect(other.firstDivergence?.a.contains("starts on") == true)
        #expect(
            parsesAsXML(
                ComparisonRenderer.html(
                    other, locality, try run("locality-shuffle", policy: "least-loaded"))))
    }
}
