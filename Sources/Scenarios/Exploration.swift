import Foundation
@_spi(Locking) import Futures
import Scheduling

/// A seed sweep of one scenario: which seeds fail, grouped by how they fail, with every
/// failing seed run a second time to check it reproduces (a different trace is a determinism
/// bug, as FoundationDB reports it).
public struct Exploration: Sendable {
    public struct Failure: Sendable, Codable {
        public var seed: UInt64
        /// What failed, without the details that vary from seed to seed.
        public var signature: String
        public var traceHash: String
        public var replay: String

        enum CodingKeys: String, CodingKey {
            case seed, signature, replay
            case traceHash = "trace_hash"
        }
    }

    /// How often a `sometimes:` expectation held over the sweep.
    public struct Sometimes: Sendable, Codable, Equatable {
        public var expectation: String
        /// Seeds in which it held.
        public var seeds: Int

        public init(expectation: String, seeds: Int) {
            self.expectation = expectation
            self.seeds = seeds
        }
    }

    public var scenario: String
    public var seedsRun: Int
    public var failures: [Failure]
    /// Seeds whose second run gave another trace hash.
    public var determinismBugs: [UInt64]
    public var wallSeconds: Double
    /// The scenario's `sometimes:` expectations, in file order.
    public var sometimes: [Sometimes] = []

    /// Whether the sweep found a problem: a failing seed, a determinism bug, or a `sometimes:`
    /// expectation that held in no seed (the sweep never reached that interleaving).
    public var failed: Bool {
        !failures.isEmpty || !determinismBugs.isEmpty || sometimes.contains { $0.seeds == 0 }
    }

    /// The failures by signature, most frequent first: (signature, count, first seed).
    public var groups: [(signature: String, count: Int, first: Failure)] {
        var order: [String] = []
        var count: [String: Int] = [:]
        var first: [String: Failure] = [:]
        for failure in failures.sorted(by: { $0.seed < $1.seed }) {
            if count[failure.signature] == nil {
                order.append(failure.signature)
                first[failure.signature] = failure
            }
            count[failure.signature, default: 0] += 1
        }
        return order.map { ($0, count[$0]!, first[$0]!) }.sorted {
            ($1.count, $0.first.seed) < ($0.count, $1.first.seed)
        }
    }

    /// What a failing run failed on: the expectations (as written; a status expectation with
    /// the statuses found), an invariant, a hang, a stopped run.
    public static func signature(of result: RunResult) -> String {
        var parts = result.expectations.filter { !$0.ok && !$0.sometimes }.map(\.failure)
        if !result.invariantViolations.isEmpty { parts.append("invariant violated") }
        if !result.hang.isEmpty { parts.append("hang") }
        if let stopped = result.stopped { parts.append(String(stopped.prefix { $0 != ":" })) }
        return parts.joined(separator: "; ")
    }

    /// Runs `seeds` on `jobs` threads; `progress` is called (from any thread) after each run
    /// with the number done and the failures so far.
    ///
    /// Seeds other than the file's are perturbed (see ``ScenarioRunner/simulate``); `swarm`
    /// also switches fault kinds on and off per seed. `bugChosen`: the caller chose the
    /// scenario's planted bug (see ``RunResult/bugChosen``), so replay commands name it.
    public static func run(
        _ scenario: Scenario, seeds: [UInt64], jobs: Int, policy: String? = nil,
        policies: [PolicyFactory] = [], pct: Int? = nil, swarm: Bool = false,
        invariants: InvariantChecks = .everyEvent, bugChosen: Bool = false,
        progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }
    ) -> Exploration {
        let clock = ContinuousClock()
        let start = clock.now
        struct Shared {
            var next = 0
            var done = 0
            var failures: [Failure] = []
            var determinismBugs: [UInt64] = []
            var sometimes: [Int]
        }
        let sometimesTexts = scenario.expectations.filter(\.sometimes).map(\.text)
        let shared = Locked(Shared(sometimes: sometimesTexts.map { _ in 0 }))
        let workers = max(1, min(jobs, seeds.count))
        let group = DispatchGroup()
        for _ in 0..<workers {
            group.enter()
            Thread.detachNewThread {
                while true {
                    let index: Int? = shared.withLock { state in
                        guard state.next < seeds.count else { return nil }
                        defer { state.next += 1 }
                        return state.next
                    }
                    guard let index else { break }
                    let seed = seeds[index]
                    func simulate() -> RunResult {
                        ScenarioRunner.simulate(
                            scenario, seed: seed, policy: policy, policies: policies,
                            perturbation: .implied(by: seed, of: scenario, pct: pct),
                            swarm: swarm, invariants: invariants, keepsTrace: false
                        ).0
                    }
                    var result = simulate()
                    result.bugChosen = bugChosen
                    let seen = result.expectations.filter(\.sometimes).map(\.ok)
                    var failure: Failure?
                    var unstable = false
                    if !result.passed {
                        failure = Failure(
                            seed: seed, signature: signature(of: result),
                            traceHash: result.traceHash,
                            replay: "orrery replay \(scenario.file)" + result.replayArguments)
                        unstable = simulate().traceHash != result.traceHash
                    }
                    let (done, failed) = shared.withLock { state in
                        state.done += 1
                        if let failure { state.failures.append(failure) }
                        if unstable { state.determinismBugs.append(seed) }
                        for (index, ok) in seen.enumerated() where ok {
                            state.sometimes[index] += 1
                        }
                        return (state.done, state.failures.count)
                    }
                    progress(done, failed)
                }
                group.leave()
            }
        }
        group.wait()
        let final = shared.withLock { $0 }
        let elapsed = start.duration(to: clock.now)
        return Exploration(
            scenario: scenario.name, seedsRun: seeds.count,
            failures: final.failures.sorted { $0.seed < $1.seed },
            determinismBugs: final.determinismBugs.sorted(), wallSeconds: elapsed.seconds,
            sometimes: zip(sometimesTexts, final.sometimes).map {
                Sometimes(expectation: $0, seeds: $1)
            })
    }

    /// The seeds of shard `index` (1-based) of `count` over `from..<from+total`: every
    /// `count`-th seed, so shards are disjoint, cover the range, and share the slow seeds.
    public static func seeds(from: UInt64, total: Int, shard index: Int = 1, of count: Int = 1)
        -> [UInt64]
    {
        (0..<total).filter { $0 % count == index - 1 }.map { from + UInt64($0) }
    }

    // MARK: JSON lines, and merging shards

    /// The summary line of `--format json`.
    public struct Summary: Codable {
        public var scenario: String
        public var seeds: Int
        public var failures: Int
        public var groups: [String: Int]
        public var determinismBugs: [UInt64]
        public var sometimes: [Sometimes]
        public var seedsPerSecond: Double
        public var wallSeconds: Double
        public var shard: String

        enum CodingKeys: String, CodingKey {
            case scenario, seeds, failures, groups, shard, sometimes
            case determinismBugs = "determinism_bugs"
            case seedsPerSecond = "seeds_per_s"
            case wallSeconds = "wall_s"
        }
    }

    /// One line per failing seed, then the summary line.
    public func jsonLines(shard: String) throws -> [String] {
        let encoder = jsonEncoder()
        var lines = try failures.map { try encoder.text($0) }
        var counts: [String: Int] = [:]
        for group in groups { counts[group.signature] = group.count }
        let summary = Summary(
            scenario: scenario, seeds: seedsRun, failures: failures.count, groups: counts,
            determinismBugs: determinismBugs, sometimes: sometimes,
            seedsPerSecond: Double(seedsRun) / max(wallSeconds, 1e-9), wallSeconds: wallSeconds,
            shard: shard)
        lines.append(try encoder.text(summary))
        return lines
    }

    /// Combines the `--format json` outputs of the shards of one sweep: seeds and failures
    /// add up, `sometimes:` counts add up, and the wall time is the longest shard's (they ran
    /// side by side).
    ///
    /// - Throws: ``ScenarioError`` naming the file and line that is not such output, or
    ///   shards of different scenarios.
    public static func merge(_ files: [(name: String, text: String)]) throws(ScenarioError)
        -> Exploration
    {
        let decoder = JSONDecoder()
        var merged = Exploration(
            scenario: "", seedsRun: 0, failures: [], determinismBugs: [], wallSeconds: 0)
        for (fileIndex, (name, text)) in files.enumerated() {
            var summary: Summary?
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false)
                .enumerated() where !line.allSatisfy(\.isWhitespace)
            {
                let data = Data(line.utf8)
                if let failure = try? decoder.decode(Failure.self, from: data) {
                    merged.failures.append(failure)
                } else if summary == nil, let line = try? decoder.decode(Summary.self, from: data) {
                    summary = line
                } else {
                    throw ScenarioError(
                        file: name, line: number + 1, column: 1,
                        message:
                            "expected a line of `orrery explore --format json`: a failing seed, or one summary",
                        path: "")
                }
            }
            guard let summary else {
                throw ScenarioError(
                    file: name, line: 0, column: 0,
                    message: "no summary line of `orrery explore --format json`", path: "")
            }
            if fileIndex == 0 {
                merged.scenario = summary.scenario
                merged.sometimes = summary.sometimes.map {
                    Sometimes(expectation: $0.expectation, seeds: 0)
                }
            }
            guard summary.scenario == merged.scenario,
                summary.sometimes.map(\.expectation) == merged.sometimes.map(\.expectation)
            else {
                throw ScenarioError(
                    file: name, line: 0, column: 0,
                    message:
                        "a shard of \(summary.scenario), not of \(merged.scenario) as the first file",
                    path: "")
            }
            merged.seedsRun += summary.seeds
            merged.determinismBugs += summary.determinismBugs
            merged.wallSeconds = max(merged.wallSeconds, summary.wallSeconds)
            for index in merged.sometimes.indices {
                merged.sometimes[index].seeds += summary.sometimes[index].seeds
            }
        }
        merged.failures.sort { $0.seed < $1.seed }
        merged.determinismBugs.sort()
        return merged
    }
}
