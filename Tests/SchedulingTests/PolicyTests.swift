import Scheduling
import Testing

@Suite struct PolicyTests {
    /// Distinct keys (each its own group, so not root-ish), no dependencies.
    func independent(_ count: Int) -> [KeyedSpec] {
        (0..<count).map { KeyedSpec(key: "task\($0)x") }
    }

    func placements(_ h: Harness) -> [String] {
        h.computes().map { h.scheduler.name(of: $0.worker) }
    }

    @Test func registryMakesEveryPolicyByName() {
        for name in PolicyRegistry.names {
            #expect(PolicyRegistry.make(name, seed: 1)?.name == name)
        }
        #expect(PolicyRegistry.make("nonsense", seed: 1) == nil)
    }

    @Test func fifoTakesTurns() {
        let h = Harness(policy: FIFOPolicy())
        for name in ["a", "b", "c"] { h.addWorker(name) }
        h.submit(independent(6))
        #expect(placements(h) == ["a", "b", "c", "a", "b", "c"])
    }

    @Test func randomIsReproducibleFromItsSeed() {
        func run(seed: UInt64) -> [String] {
            let h = Harness(policy: RandomPolicy(generator: SeededGenerator(seed: seed)))
            for name in ["a", "b", "c", "d"] { h.addWorker(name) }
            h.submit(independent(40))
            return placements(h)
        }
        #expect(run(seed: 7) == run(seed: 7))
        #expect(run(seed: 7) != run(seed: 8))
        #expect(Set(run(seed: 7)) == ["a", "b", "c", "d"])
    }

    @Test func leastLoadedAvoidsTheBusyWorker() {
        let h = Harness(policy: LeastLoadedPolicy())
        h.addWorker("a")
        h.submit([KeyedSpec(key: "long", estimatedDuration: 10_000_000_000)])
        h.addWorker("b")
        h.submit([KeyedSpec(key: "next", estimatedDuration: 1_000_000)])
        #expect(placements(h) == ["b"])
    }

    /// Locality sends a task to where its big input lives; least-loaded does not look.
    @Test func localityFollowsTheData() {
        func placement(of policy: any SchedulingPolicy) -> String {
            let h = Harness(policy: policy)
            h.addWorker("a")
            h.submit([KeyedSpec(key: "data")], wanted: ["data"])
            h.finish("data", size: 1_000_000_000)
            h.addWorker("b")
            h.submit([
                KeyedSpec(key: "busy", estimatedDuration: 100_000_000),
                KeyedSpec(key: "use", dependencies: ["data"], estimatedDuration: 100_000_000),
            ])
            return h.scheduler.name(of: h.worker(of: "use")!)
        }
        #expect(placement(of: LocalityPolicy()) == "a")
        #expect(placement(of: LeastLoadedPolicy()) == "b")
    }

    /// Locality weighs only the candidates that hold an input, when some do: a holder the
    /// task may not use does not count, and with no holder among the candidates every
    /// candidate is weighed (here the one holding the fewest bytes wins the tie).
    @Test func localityWeighsTheHoldersAmongTheCandidates() {
        let h = Harness(policy: LocalityPolicy())
        for name in ["a", "b", "c"] { h.addWorker(name) }
        h.submit(
            [KeyedSpec(key: "x", workers: ["a"]), KeyedSpec(key: "y", workers: ["b"])],
            wanted: ["x", "y"])
        h.finish("x", size: 1_000_000_000)
        h.finish("y", size: 2_000_000_000)
        let estimate: Nanoseconds = 100_000_000
        h.submit([
            KeyedSpec(
                key: "both", dependencies: ["x", "y"], estimatedDuration: estimate),
            KeyedSpec(
                key: "restricted", dependencies: ["x", "y"], workers: ["a", "c"],
                estimatedDuration: estimate),
            KeyedSpec(
                key: "noHolder", dependencies: ["y"], workers: ["a", "c"],
                estimatedDuration: estimate),
        ])
        // b lacks the smaller input, a the larger one.
        #expect(h.scheduler.name(of: h.worker(of: "both")!) == "b")
        #expect(h.scheduler.name(of: h.worker(of: "restricted")!) == "a")
        #expect(h.scheduler.name(of: h.worker(of: "noHolder")!) == "c")
    }

    /// A busy holder of a one-byte input beats idle workers that would fetch it: only
    /// holders are weighed.
    @Test func localityPrefersABusyHolderToAnIdleWorker() {
        let h = Harness(policy: LocalityPolicy())
        for name in ["a", "b", "c"] { h.addWorker(name) }
        h.submit([KeyedSpec(key: "tiny", workers: ["b"])], wanted: ["tiny"])
        h.finish("tiny", size: 1)
        h.submit([
            KeyedSpec(key: "long", workers: ["b"], estimatedDuration: 10_000_000_000),
            KeyedSpec(key: "small", dependencies: ["tiny"], estimatedDuration: 1_000_000),
        ])
        #expect(h.scheduler.name(of: h.worker(of: "small")!) == "b")
    }

    /// Critical path ranks the head of a long chain before a short independent task.
    @Test func criticalPathRanksTheLongestChainFirst() {
        let h = Harness(policy: CriticalPathPolicy())
        h.addWorker("a")
        let second: Nanoseconds = 1_000_000_000
        h.submit([
            KeyedSpec(key: "short", estimatedDuration: 2 * second),
            KeyedSpec(key: "head", estimatedDuration: second),
            KeyedSpec(key: "middle", dependencies: ["head"], estimatedDuration: second),
            KeyedSpec(key: "tail", dependencies: ["middle"], estimatedDuration: second),
        ])
        #expect(h.computedKeys == ["head", "short"])
        #expect(h.scheduler.priority(of: h.id("head")) < h.scheduler.priority(of: h.id("short")))
        // Without ranks, submission order decides.
        let plain = Harness(policy: LocalityPolicy())
        plain.addWorker("a")
        plain.submit([KeyedSpec(key: "short"), KeyedSpec(key: "head")])
        #expect(plain.computedKeys == ["short", "head"])
    }

    /// Keys group by prefix, as dask's key_split: indices and hex tokens are dropped.
    @Test func groupNames() {
        let h = Harness()
        h.addWorker("a", threads: 1)
        h.submit((0..<3).map { KeyedSpec(key: "inc-\($0)") })
        h.submit([KeyedSpec(key: "inc-fd088cc0e92f61ee626cb107b7a56cd4")])
        // Four tasks of group "inc" on 1 thread: more than twice the threads, so root-ish.
        #expect(h.scheduler.isRootish(h.id("inc-0")))
    }
}
