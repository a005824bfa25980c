import Scheduling
import Testing

/// dask's Active Memory Manager with ReduceReplicas: every 2 s (from time zero) a result held
/// more than once keeps one replica, or one per worker its waiting dependents run on, and the
/// others are dropped from the workers holding the most data.
@Suite struct MemoryManagerTests {
    /// Three workers; x (1 KB) computed on a and copied to b and c, with add-keys.
    private func replicated(_ h: Harness) -> (WorkerID, WorkerID, WorkerID) {
        let a = h.addWorker("a")
        let b = h.addWorker("b")
        let c = h.addWorker("c")
        h.submit([KeyedSpec(key: "x", workers: ["a"])])
        h.finish("x", size: 1_000)
        h.send(.addKeys(worker: b, tasks: [h.id("x")]))
        h.send(.addKeys(worker: c, tasks: [h.id("x")]))
        return (a, b, c)
    }

    private func removals(_ h: Harness) -> [(WorkerID, [String])] {
        h.last.compactMap {
            guard case .removeReplicas(let tasks, let worker) = $0 else { return nil }
            return (worker, tasks.map { h.scheduler.key(of: $0) })
        }
    }

    /// The first extra replica asks for a tick at the next 2 s period; there, the replicas
    /// nothing needs go, from the workers holding the most data (b holds more than c).
    @Test func extraReplicasGoAtTheNextPeriod() {
        let h = Harness()
        let (a, b, c) = replicated(h)
        h.submit([KeyedSpec(key: "big", workers: ["b"])])
        h.finish("big", size: 5_000)
        #expect(h.log.contains(.wakeAt(2_000_000_000)))
        h.now = 2_000_000_000
        h.send(.tick)
        #expect(removals(h).map(\.0) == [a, b])
        #expect(h.scheduler.replicas(of: h.id("x")) == [c])
        #expect(h.scheduler.heldBytes(on: b) == 5_000)
    }

    /// A replica stays for each worker a waiting dependent is processing on, and one more
    /// for a dependent not placed yet.
    @Test func waitersKeepTheirReplicas() {
        let h = Harness()
        let (_, b, c) = replicated(h)
        h.submit([KeyedSpec(key: "y", dependencies: ["x"], workers: ["b"])])
        h.submit([KeyedSpec(key: "z", dependencies: ["x"], workers: ["d"])])  // no worker d
        #expect(h.state("z") == .noWorker)
        h.now = 2_000_000_000
        h.send(.tick)
        // Two are needed (y on b, z unplaced): one of a and c goes, never b's.
        #expect(removals(h).count == 1)
        #expect(h.scheduler.replicas(of: h.id("x")).contains(b))
        #expect(h.scheduler.replicas(of: h.id("x")).count == 2)
        _ = c
    }

    /// Switched off, nothing is asked for and nothing dropped.
    @Test func offMeansNoTicksAndNoDrops() {
        let h = Harness { $0.memoryManagerInterval = nil }
        _ = replicated(h)
        #expect(!h.log.contains { if case .wakeAt = $0 { true } else { false } })
        #expect(h.scheduler.replicas(of: h.id("x")).count == 3)
    }
}
