import Foundation
import Futures
import Scheduling

/// A seed sweep of one scenario: which seeds fail, grouped by how they fail, with every
/// failing seed run a second time to check it reproduces (a different trace is a determinism
/// bug, as FoundationDB reports it).
public struct Exploration: Sendable {
    public struct Failure: Sendable, Encodable {
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

    public var scenario: String
    public var seedsRun: Int
    public var failures: [Failure]
    /// Seeds whose second run gave another trace hash.
    public var determinismBugs: [UInt64]
    public var wallSeconds: Double

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

    /// What a failing run failed on: the expectations (as written), an invariant, a hang.
    public static func signature(of result: RunResult) -> String {
        var parts = result.expectations.filter { !$0.ok }.map(\.expectation)
        if !result.invariantViolations.isEmpty { parts.append("invariant violated") }
        if !result.hang.isEmpty { parts.append("hang") }
        return parts.joined(separator: "; ")
    }

    /// Runs `seeds` on `jobs` threads; `progress` is called (from any thread) after each run
    /// with the number done and the failures so far.
    public static func run(
        _ scenario: Scenario, seeds: [UInt64], jobs: Int, policy: String? = nil,
        policies: [PolicyFactory] = [],
        progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }
    ) -> Exploration {
        let clock = ContinuousClock()
        let start = clock.now
        struct Shared {
            var next = 0
            var done = 0
            var failures: [Failure] = []
            var determinismBugs: [UInt64] = []
        }
        let shared = Locked(Shared())
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
                    let result = ScenarioRunner.simulate(
                        scenario, seed: seed, policy: policy, policies: policies
                    ).0
                    var failure: Failure?
                    var unstable = false
                    if !result.passed {
                        failure = Failure(
                            seed: seed, signature: signature(of: result),
                            traceHash: result.traceHash,
                            replay: "orrery replay \(scenario.file) --seed \(seed)"
                                + (policy.map { " --policy \($0)" } ?? ""))
                        let again = ScenarioRunner.simulate(
                            scenario, seed: seed, policy: policy, policies: policies
                        ).0
                        unstable = again.traceHash != result.traceHash
                    }
                    let (done, failed) = shared.withLock { state in
                        state.done += 1
                        if let failure { state.failures.append(failure) }
                        if unstable { state.determinismBugs.append(seed) }
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
            determinismBugs: final.determinismBugs.sorted(), wallSeconds: seconds(elapsed))
    }

    /// The seeds of shard `index` (1-based) of `count` over `from..<from+total`: every
    /// `count`-th seed, so shards are disjoint, cover the range, and share the slow seeds.
    public static func seeds(from: UInt64, total: Int, shard index: Int = 1, of count: Int = 1)
        -> [UInt64]
    {
        (0..<total).filter { $0 % count == index - 1 }.map { from + UInt64($0) }
    }
}
