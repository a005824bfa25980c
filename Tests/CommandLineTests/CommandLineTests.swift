import Foundation
import Testing

/// The package's root, and the `orrery` binary built next to this test bundle.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    .appendingPathComponent("orrery")

/// Runs `orrery` in its own process from the package root.
func orrery(_ arguments: String...) throws -> (status: Int32, out: String, err: String) {
    try orrery(arguments)
}

func orrery(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    process.currentDirectoryURL = root
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let output = out.fileHandleForReading.readDataToEndOfFile()
    let error = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (
        process.terminationStatus, String(decoding: output, as: UTF8.self),
        String(decoding: error, as: UTF8.self)
    )
}

func temporaryFolder() -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
        "orrery-cli-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
}

@Suite struct CommandLineTests {
    @Test func binaryIsThere() {
        #expect(FileManager.default.isExecutableFile(atPath: binary.path), "\(binary.path)")
    }

    @Test func validateReportsEachFile() throws {
        let ok = try orrery("validate", "scenarios/chain.yaml", "scenarios/retries.yaml")
        #expect(ok.status == 0)
        #expect(ok.out.contains("ok  scenarios/chain.yaml: chain, 10 tasks, 3 workers"))
        let broken = try orrery(
            "validate", "Tests/ScenariosTests/Broken/unknown-key.yaml", "scenarios/chain.yaml")
        #expect(broken.status == 2)
        #expect(
            broken.err.contains(
                "unknown-key.yaml:5:27: error: unknown key 'durration'; did you mean 'duration'?"))
        #expect(broken.out.isEmpty, "nothing runs or passes when a file is bad")
    }

    @Test func exitCodes() throws {
        let pass = try orrery("run", "scenarios/retries.yaml")
        #expect(pass.status == 0 && pass.out.hasPrefix("PASS  retries"))
        let fail = try orrery("run", "scenarios/locality-shuffle.yaml", "--policy", "least-loaded")
        #expect(fail.status == 1)
        #expect(fail.out.contains("✗ makespan below 500ms: makespan 2.351s"))
        #expect(
            fail.out.contains(
                "replay: orrery run scenarios/locality-shuffle.yaml --seed 1 --policy least-loaded")
        )
        #expect(
            try orrery("run", "scenarios/retries.yaml", "--mode", "real", "--time-scale", "0")
                .status == 2)
        #expect(try orrery("run", "scenarios/retries.yaml", "--policy", "fastest").status == 2)
        #expect(try orrery("frobnicate").status == 2)
        #expect(
            try orrery("run", "no-such-file.yaml").err.contains(
                "no-such-file.yaml: error: no such file"))
        let folder = try orrery("run", "scenarios")
        #expect(folder.status == 2 && folder.err.contains("scenarios: error: this is a directory"))
    }

    /// A scenario runs on real threads too, and its report says so.
    /// The rough edges a new user hits first: the version, a negative seed, a shard past its
    /// count, defaults shown as a user writes them.
    @Test func usageMessages() throws {
        let version = try orrery("--version")
        #expect(version.status == 0 && version.out.wholeMatch(of: /\d+\.\d+\.\d+\n/) != nil)
        let negative = try orrery("run", "scenarios/chain.yaml", "--seed", "-1")
        #expect(negative.status == 2)
        #expect(negative.err.contains("a seed is a whole number from 0 to"), "\(negative.err)")
        let shard = try orrery("explore", "scenarios/chain.yaml", "--seeds", "4", "--shard", "3/2")
        #expect(shard.status == 2)
        #expect(shard.err.contains("--shard I/N needs 1 ≤ I ≤ N, got 3/2"), "\(shard.err)")
        let explore = try orrery("explore", "--help")
        #expect(explore.out.contains("(default: 1/1)"))
        let run = try orrery("run", "--help")
        #expect(run.out.contains("(default: 5%)"))
    }

    /// `run --invariants end` checks once at the end: faster, the same trace; a real run
    /// always checks after every event, so the option is refused there.
    @Test func invariantsAtTheEnd() throws {
        let every = try orrery("run", "scenarios/lost-result-recomputed.yaml", "--format", "json")
        let end = try orrery(
            "run", "scenarios/lost-result-recomputed.yaml", "--format", "json", "--invariants",
            "end")
        #expect(every.status == 0 && end.status == 0)
        func hash(_ line: String) -> String? {
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?[
                "trace_hash"] as? String
        }
        #expect(hash(every.out) != nil && hash(every.out) == hash(end.out))
        let real = try orrery(
            "run", "scenarios/chain.yaml", "--mode", "real", "--invariants", "end")
        #expect(real.status == 2 && real.err.contains("--invariants is for simulation"))
    }

    @Test func realMode() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "orrery-real-\(getpid())")
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try orrery(
            "run", "scenarios/pure-key-dedup.yaml", "--mode", "real", "--time-scale", "0.05",
            "--report",
            folder.path, "--format", "json")
        #expect(run.status == 0, "\(run.out)\(run.err)")
        #expect(run.out.contains(#""mode":"real""#))
        #expect(run.out.contains("--mode real --time-scale 0.05"))
        let trace = try String(
            contentsOf: folder.appendingPathComponent("pure-key-dedup/real-seed1/trace.jsonl"),
            encoding: .utf8)
        #expect(trace.contains(#""mode":"real""#))
    }

    /// `compare --sim-vs-real` runs both and writes the comparison.
    @Test func simVersusReal() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "orrery-compare-\(getpid())")
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try orrery(
            "compare", "scenarios/fifo-round-robin.yaml", "--sim-vs-real", "--time-scale", "0.1",
            "-o", folder.path)
        #expect(run.status == 0, "\(run.err)")
        #expect(
            run.out.contains(
                "# fifo-round-robin (sim, fifo, seed 1) vs fifo-round-robin (real, fifo, seed 1)"))
        #expect(run.out.contains("| same final state | 100.0% |"))
        let json = try String(
            contentsOf: folder.appendingPathComponent("compare.json"), encoding: .utf8)
        #expect(json.contains(#""mode" : "real""#) || json.contains(#""mode":"real""#))
        #expect(json.contains(#""trace_hash""#) && !json.contains("traceHash"))
        // With --format json, standard output is compare.json on one line.
        let line = try orrery(
            "compare", "scenarios/fifo-round-robin.yaml", "--sim-vs-real", "--time-scale", "0.1",
            "-o", folder.path, "--format", "json")
        #expect(line.status == 0 && line.out.split(separator: "\n").count == 1)
        let object = try JSONSerialization.jsonObject(with: Data(line.out.utf8)) as? [String: Any]
        #expect(object?["final_state_agreement"] as? Double == 1)
        #expect(try orrery("compare", "scenarios/chain.yaml").status == 2)
        #expect(
            try orrery("compare", "scenarios/chain.yaml", "--sim-vs-real", "--time-scale", "-1")
                .status == 2)
    }

    /// `compare --sim-vs-dask` simulates a recorded dask run's scenario and compares it with
    /// the recording; `report` draws the recording itself.
    @Test func simVersusDask() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let recorded = "Tests/ReportsTests/Fixtures/dask-map-reduce"
        let run = try orrery(
            "compare", "\(recorded)/scenario.yaml", "--sim-vs-dask", recorded, "-o",
            folder.appendingPathComponent("comparison").path)
        #expect(run.status == 0, "\(run.err)")
        #expect(
            run.out.contains(
                "# map-reduce (sim, work-stealing, seed 1) vs map-reduce (dask, dask, seed 0)"))
        #expect(run.out.contains("| start difference median, p90, p95 | "))
        #expect(run.out.contains("over 45 tasks"))
        let copy = folder.appendingPathComponent("recorded")
        try FileManager.default.copyItem(at: root.appendingPathComponent(recorded), to: copy)
        let report = try orrery("report", copy.path)
        #expect(report.status == 0, "\(report.err)")
        let svg = try String(
            contentsOf: copy.appendingPathComponent("gantt.svg"), encoding: .utf8)
        #expect(svg.contains("map-7"))
        #expect(
            FileManager.default.contentsEqual(
                atPath: copy.appendingPathComponent("scenario.yaml").path,
                andPath: root.appendingPathComponent("\(recorded)/scenario.yaml").path))
        for wrong in [
            ["compare", "\(recorded)/scenario.yaml", "--sim-vs-dask", recorded, "--sim-vs-real"],
            ["compare", "\(recorded)/scenario.yaml", "x", "--sim-vs-dask", recorded],
            [
                "compare", "\(recorded)/scenario.yaml", "--sim-vs-dask", recorded, "--time-scale",
                "1",
            ],
        ] {
            #expect(try orrery(wrong).status == 2, "\(wrong)")
        }
        let missing = try orrery(
            "compare", "\(recorded)/scenario.yaml", "--sim-vs-dask",
            folder.appendingPathComponent("none").path)
        #expect(missing.status == 2)
        #expect(missing.err.contains("cannot read the trace"))
    }

    /// The same scenario and seed in two separate processes give the same trace hash.
    @Test func sameTraceHashInSeparateProcesses() throws {
        let first = try orrery("run", "scenarios/steal-versus-finish.yaml", "--format", "json")
        let second = try orrery("run", "scenarios/steal-versus-finish.yaml", "--format", "json")
        let a = try JSONSerialization.jsonObject(with: Data(first.out.utf8)) as! [String: Any]
        let b = try JSONSerialization.jsonObject(with: Data(second.out.utf8)) as! [String: Any]
        #expect(a["trace_hash"] as? String == b["trace_hash"] as? String)
        for key in [
            "scenario", "seed", "mode", "policy", "trace_hash", "makespan_s", "states",
            "expectations", "invariant_violations", "wall_s",
        ] {
            #expect(a[key] != nil, "missing \(key)")
        }
        let other = try orrery(
            "run", "scenarios/steal-versus-finish.yaml", "--format", "json", "--seed", "8")
        let c = try JSONSerialization.jsonObject(with: Data(other.out.utf8)) as! [String: Any]
        #expect(c["trace_hash"] as? String != a["trace_hash"] as? String)
        #expect(a["perturbed"] as? Bool == false && c["perturbed"] as? Bool == true)
    }

    /// Every shipped and zoo scenario, under its own seed and a perturbed one, has the same
    /// trace hash in two processes (so no hash table's order, clock or unseeded draw reaches
    /// a decision or the trace, whichever feature the scenario uses). Two more files cover
    /// what no shipped scenario uses: dask's static order, first-task delays and connection
    /// opening (a random DAG), and a scenario recorded from dask (per-worker warm-ups,
    /// handoffs and start gaps drawn from distributions).
    @Test func everyScenarioHasOneTraceHashInTwoProcesses() throws {
        let folder = root.appendingPathComponent("scenarios")
        let manager = FileManager.default
        let files =
            try manager.contentsOfDirectory(atPath: folder.path).map { "scenarios/\($0)" }
            + manager.contentsOfDirectory(atPath: folder.appendingPathComponent("zoo").path)
            .map { "scenarios/zoo/\($0)" }
        let scenarios =
            files.filter { $0.hasSuffix(".yaml") }.sorted() + [
                "Tests/ScenariosTests/Fixtures/dask-order-random.yaml",
                "Tests/ReportsTests/Fixtures/dask-map-reduce/scenario.yaml",
            ]
        #expect(scenarios.count >= 40)
        for covered in ["secede", "spilling", "memory-manager", "learned-bandwidth"] {
            #expect(scenarios.contains("scenarios/\(covered).yaml"))
        }
        for seed in [[], ["--seed", "9"]] {
            let hashes = try (0..<2).map { _ in
                try traceHashes(["run"] + scenarios + seed + ["--format", "json"])
            }
            #expect(hashes[0].count == scenarios.count)
            #expect(hashes[0] == hashes[1], "seed \(seed)")
            // With the invariants checked only at the end, workers keep results in their
            // small form: the same traces, in another process too.
            let atTheEnd = try (0..<2).map { _ in
                try traceHashes(
                    ["run"] + scenarios + seed + ["--invariants", "end", "--format", "json"])
            }
            #expect(atTheEnd[0] == atTheEnd[1], "seed \(seed), invariants at the end")
            #expect(atTheEnd[0] == hashes[0], "seed \(seed), invariants at the end")
        }
    }

    /// The trace hash of each run an `orrery run … --format json` prints.
    private func traceHashes(_ arguments: [String]) throws -> [String] {
        try orrery(arguments).out.split(separator: "\n").map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
            return (object as! [String: Any])["trace_hash"] as! String
        }
    }

    /// Pauses and nanny restarts for memory come from the data held, nothing else: the
    /// memory scenario has one trace hash in two processes, also under a perturbed seed.
    @Test func memoryPausesAndRestartsAreTheSameInAnotherProcess() throws {
        for seed in ["1", "5"] {
            let arguments = [
                "run", "scenarios/worker-memory.yaml", "--seed", seed, "--format", "json",
            ]
            let hashes = try (0..<2).map { _ in
                let run = try orrery(arguments)
                let object = try JSONSerialization.jsonObject(with: Data(run.out.utf8))
                return (object as! [String: Any])["trace_hash"] as? String
            }
            #expect(hashes[0] != nil && hashes[0] == hashes[1], "seed \(seed)")
        }
    }

    /// Data moving between dying and joining workers under stealing, with fetched copies
    /// announced and missing inputs looked up again (seed 17 takes that path), has one trace
    /// hash in two processes.
    @Test func dataMovementIsTheSameInAnotherProcess() throws {
        let arguments = ["run", "scenarios/racy-data.yaml", "--seed", "17", "--format", "json"]
        let hashes = try (0..<2).map { _ in
            let run = try orrery(arguments)
            let object = try JSONSerialization.jsonObject(with: Data(run.out.utf8))
            return (object as! [String: Any])["trace_hash"] as? String
        }
        #expect(hashes[0] != nil && hashes[0] == hashes[1])
    }

    /// A perturbed seed with swarm testing is as reproducible across processes as the
    /// nominal run: shuffled ties, drawn latencies, drawn fault times and switched faults all
    /// come from the seed.
    @Test func perturbedRunsAreTheSameInAnotherProcess() throws {
        let arguments = [
            "run", "scenarios/zoo/accept-result-from-removed-worker.yaml", "--seed", "24",
            "--swarm", "--format", "json",
        ]
        let hashes = try (0..<2).map { _ in
            let run = try orrery(arguments)
            let line = try JSONSerialization.jsonObject(with: Data(run.out.utf8)) as! [String: Any]
            #expect(line["perturbed"] as? Bool == true && line["swarm"] != nil)
            return line["trace_hash"] as? String
        }
        #expect(hashes[0] != nil && hashes[0] == hashes[1])
    }

    /// A replay command names the planted bug the run had, and `none` when the command line
    /// took a file's bug away.
    @Test func replayCommandsNameThePlantedBug() throws {
        let file = "scenarios/zoo/count-deaths-twice.yaml"
        func replay(_ extra: String...) throws -> String? {
            let run = try orrery(["run", file, "--seed", "33", "--format", "json"] + extra)
            let line = try JSONSerialization.jsonObject(with: Data(run.out.utf8)) as! [String: Any]
            return line["replay"] as? String
        }
        #expect(try replay()?.hasSuffix("--bug broken-count-deaths-twice") == true)
        #expect(try replay("--bug", "none")?.hasSuffix("--bug none") == true)
        #expect(try replay("--policy", "fifo", "--bug", "none")?.hasSuffix("--bug none") == true)
    }

    @Test func reportsAndRerendering() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let junit = folder.appendingPathComponent("junit.xml").path
        let run = try orrery(
            "run", "scenarios/retries.yaml", "--report", folder.path, "--junit", junit)
        #expect(run.status == 0)
        let runFolder = folder.appendingPathComponent("retries/sim-seed1")
        #expect(run.out.contains("report: \(runFolder.appendingPathComponent("index.html").path)"))
        let index = runFolder.appendingPathComponent("index.html")
        let before = try String(contentsOf: index, encoding: .utf8)
        try FileManager.default.removeItem(at: index)
        #expect(try orrery("report", runFolder.path).status == 0)
        #expect(try String(contentsOf: index, encoding: .utf8) == before)
        #expect(
            try String(contentsOfFile: junit, encoding: .utf8).contains(
                "tests=\"1\" failures=\"0\""))
    }

    @Test func importNeverOverwritesWithoutForce() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = folder.appendingPathComponent("chain.yaml").path
        let instance = "Tests/ScenariosTests/Fixtures/helloworld-chain-5-chameleon.json"
        #expect(try orrery("import", "wfcommons", instance, "-o", target).status == 0)
        #expect(try orrery("validate", target).status == 0)
        try "mine".write(toFile: target, atomically: true, encoding: .utf8)
        let again = try orrery("import", "wfcommons", instance, "-o", target)
        #expect(again.status == 2 && again.err.contains("pass --force"))
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "mine")
        #expect(try orrery("import", "wfcommons", instance, "-o", target, "--force").status == 0)
    }

    /// A trace the importer refuses ends with exit 2 and one line naming the task and field;
    /// nothing is written, even over a file `--force` would replace; the trace itself is never
    /// the output.
    @Test func importRefusesABadTraceBeforeWriting() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let good = "Tests/ScenariosTests/Fixtures/helloworld-chain-5-chameleon.json"
        let bad = folder.appendingPathComponent("bad.json").path
        let text = try String(contentsOfFile: good, encoding: .utf8)
        let runtime = try #require(
            text.range(of: #""runtimeInSeconds": [0-9.]+"#, options: .regularExpression))
        try text.replacingCharacters(in: runtime, with: #""runtimeInSeconds": 1e300"#)
            .write(toFile: bad, atomically: true, encoding: .utf8)
        let target = folder.appendingPathComponent("kept.yaml").path
        try "mine".write(toFile: target, atomically: true, encoding: .utf8)
        let refused = try orrery("import", "wfcommons", bad, "-o", target, "--force")
        #expect(refused.status == 2)
        #expect(refused.err.hasPrefix("\(bad): error: task '"))
        #expect(refused.err.contains("runtimeInSeconds"))
        #expect(refused.err.split(separator: "\n").count == 1)
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "mine")
        let copy = folder.appendingPathComponent("chain.json").path
        try text.write(toFile: copy, atomically: true, encoding: .utf8)
        let link = folder.appendingPathComponent("link.json").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: copy)
        let own = try orrery("import", "wfcommons", copy, "-o", link, "--force")
        #expect(own.status == 2 && own.err.contains("the trace being imported"))
        #expect(try String(contentsOfFile: copy, encoding: .utf8) == text)
    }

    /// A report, JUnit or baseline path that cannot be used stops the command before any run:
    /// exit 2, one line, nothing printed on standard output.
    @Test func unusableOutputPathsAreRefusedFirst() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("file").path
        #expect(FileManager.default.createFile(atPath: file, contents: Data()))
        for option in [["--report", file], ["--junit", folder.path], ["--baseline", file + "x"]] {
            let refused = try orrery(["run", "scenarios/chain.yaml"] + option)
            #expect(refused.status == 2, "\(option)")
            #expect(refused.out.isEmpty, "\(option): \(refused.out)")
            #expect(refused.err.split(separator: "\n").count == 1, "\(option): \(refused.err)")
        }
    }

    @Test func baselinesGuardAgainstRegressions() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let scenarios = ["scenarios/wfcommons-montage.yaml", "scenarios/chain.yaml"]
        let record = try orrery(
            "baseline", "record", scenarios[0], scenarios[1], "--seeds", "2", "--dir", folder.path)
        #expect(record.status == 0)
        #expect(try orrery("baseline", "record", scenarios[0], "--dir", folder.path).status == 2)
        let same = try orrery(
            "run", scenarios[0], scenarios[1], "--baseline", folder.path, "--strict")
        #expect(same.status == 0, "\(same.out)")
        let worse = try orrery(
            "run", scenarios[0], scenarios[1], "--policy", "random", "--baseline", folder.path)
        #expect(worse.status == 1)
        #expect(worse.out.contains("makespan_s") && worse.out.contains("REGRESSED"))
        // With --format json, every line of standard output is JSON, the baseline's included.
        let json = try orrery(
            "run", scenarios[0], scenarios[1], "--policy", "random", "--baseline", folder.path,
            "--format", "json")
        #expect(json.status == 1)
        let lines = json.out.split(separator: "\n")
        #expect(lines.count == 3)
        let objects = lines.compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        #expect(objects.count == lines.count, "\(json.out)")
        #expect(objects.last?["passed"] as? Bool == false)
        #expect((objects.last?["moved"] as? [[String: Any]])?.isEmpty == false)
        // baseline record and matrix speak JSON too, one line each.
        let again = try orrery(
            "baseline", "record", scenarios[1], "--dir", folder.path, "--update", "--format",
            "json")
        let recorded =
            try JSONSerialization.jsonObject(with: Data(again.out.utf8)) as? [String: Any]
        #expect(again.status == 0 && recorded?["scenario"] as? String == "chain")
        let matrix = try orrery(
            "matrix", scenarios[1], "--policies", "fifo,locality", "-o",
            folder.appendingPathComponent("matrix").path, "--format", "json")
        let grid = try JSONSerialization.jsonObject(with: Data(matrix.out.utf8)) as? [String: Any]
        #expect(matrix.status == 0 && grid?["seeds_per_cell"] as? Int == 1)
    }

    @Test func exploreAndReplay() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let flaky = folder.appendingPathComponent("flaky.yaml")
        try """
        cluster: {workers: [{name: a, threads: 2}]}
        tasks: [{key: job, count: 10, duration: 10ms}]
        faults: [{fail_probability: 0.2, error: Flaky}]
        expect: [{future: job, status: finished}]
        """.write(to: flaky, atomically: true, encoding: .utf8)
        let explore = try orrery("explore", flaky.path, "--seeds", "20", "--format", "json")
        #expect(explore.status == 1)
        let lines = explore.out.split(separator: "\n").map {
            try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
        }
        let summary = lines.last!
        #expect(
            summary["seeds"] as? Int == 20
                && (summary["determinism_bugs"] as? [Any])?.isEmpty == true)
        let failing = lines.dropLast().first!
        let seed = failing["seed"] as! Int
        let replay = try orrery("replay", flaky.path, "--seed", "\(seed)")
        #expect(replay.status == 1)
        #expect(replay.out.contains("trace \(failing["trace_hash"] as! String)"))
        let passing = try orrery(
            "explore", "scenarios/retries.yaml", "--seeds", "10", "--shard", "2/3")
        #expect(passing.status == 0 && passing.out.contains("retries: 3 seeds, 0 failing"))
        #expect(
            try orrery("explore", "scenarios/retries.yaml", "--seeds", "10", "--shard", "4/3")
                .status == 2)

        // Two shards' JSON outputs merge into the 20-seed sweep.
        var shards: [String] = []
        for index in 1...2 {
            let shard = try orrery(
                "explore", flaky.path, "--seeds", "20", "--shard", "\(index)/2", "--format", "json")
            let path = folder.appendingPathComponent("shard\(index).jsonl").path
            try shard.out.write(toFile: path, atomically: true, encoding: .utf8)
            shards.append(path)
        }
        let merged = try orrery("explore", "--merge", shards[0], shards[1])
        #expect(merged.status == 1)
        let failures = lines.count - 1
        #expect(merged.out.hasPrefix("flaky: 20 seeds, \(failures) failing"), "\(merged.out)")
        #expect(try orrery("explore", "--merge", flaky.path).status == 2)
    }

    /// shrink writes a smaller scenario that fails the same way, and never over its input.
    @Test func shrinkAZooBug() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("min.yaml").path
        let shrink = try orrery(
            "shrink", "scenarios/zoo/count-deaths-twice.yaml", "--seed", "33", "-o", output)
        #expect(shrink.status == 0, "\(shrink.err)")
        #expect(shrink.out.contains("failure kept: future job is finished"))
        #expect(shrink.out.contains("after:  1 tasks, 1 workers"))
        let replay = try orrery("replay", output, "--seed", "33")
        #expect(replay.status == 1 && replay.out.contains("✗ future job is finished"))
        #expect(
            try orrery(
                "shrink", "scenarios/zoo/count-deaths-twice.yaml", "--seed", "33", "-o", output
            )
            .status == 2, "an existing output needs --force")
        let input = try orrery(
            "shrink", "scenarios/zoo/count-deaths-twice.yaml", "--seed", "33", "-o",
            "scenarios/zoo/count-deaths-twice.yaml", "--force")
        #expect(input.status == 2 && input.err.contains("never writes over its input"))
        let link = folder.appendingPathComponent("link.yaml").path
        try FileManager.default.createSymbolicLink(
            atPath: link,
            withDestinationPath: root.appendingPathComponent(
                "scenarios/zoo/count-deaths-twice.yaml"
            ).path)
        let throughLink = try orrery(
            "shrink", "scenarios/zoo/count-deaths-twice.yaml", "--seed", "33", "-o", link,
            "--force")
        #expect(throughLink.status == 2 && throughLink.err.contains("never writes over its input"))
        let passing = try orrery(
            "shrink", "scenarios/zoo/count-deaths-twice.yaml", "--seed", "33", "--bug", "none",
            "-o",
            output, "--force")
        #expect(passing.status == 2 && passing.err.contains("does not fail with this seed"))
    }

    /// Without -o, the shrunk copy goes to a folder of its own beside the input (out of a
    /// `dir/*.yaml` glob), under a name of its own.
    @Test func shrinkWritesBesideTheInputInAFolderOfItsOwn() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("deaths.yaml")
        try FileManager.default.copyItem(
            at: root.appendingPathComponent("scenarios/zoo/count-deaths-twice.yaml"), to: input)
        let shrink = try orrery("shrink", input.path, "--seed", "33")
        #expect(shrink.status == 0, "\(shrink.err)")
        let written = folder.appendingPathComponent("shrunk/deaths-seed33-min.yaml")
        let text = try String(contentsOf: written, encoding: .utf8)
        #expect(text.hasPrefix("name: zoo-count-deaths-twice-seed33-min\n"))
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == [
                "deaths.yaml", "shrunk",
            ])
    }

    @Test func compareTwoRuns() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try orrery(
            "run", "scenarios/locality-shuffle.yaml", "--report",
            folder.appendingPathComponent("a").path)
        _ = try orrery(
            "run", "scenarios/locality-shuffle.yaml", "--policy", "least-loaded", "--report",
            folder.appendingPathComponent("b").path)
        let compare = try orrery(
            "compare", folder.appendingPathComponent("a/locality-shuffle/sim-seed1").path,
            folder.appendingPathComponent("b/locality-shuffle/sim-least-loaded-seed1").path, "-o",
            folder.appendingPathComponent("c").path)
        #expect(compare.status == 0)
        #expect(compare.out.contains("first divergence | decision #"))
        #expect(
            FileManager.default.fileExists(
                atPath: folder.appendingPathComponent("c/compare.html").path))
        #expect(try orrery("compare", "scenarios/chain.yaml", "scenarios/chain.yaml").status == 2)
    }
}
