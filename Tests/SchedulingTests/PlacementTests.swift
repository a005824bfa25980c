import Scheduling
import Testing

/// Resources, restrictions, queuing of root-ish tasks.
@Suite struct PlacementTests {
    /// A GPU job waits in no-worker until a GPU worker joins, then runs there.
    @Test func resourcesWaitForAFittingWorker() {
        let h = Harness()
        h.addWorker("cpu")
        h.submit([TaskSpec(key: "train", resources: ["GPU": 1])])
        #expect(h.state("train") == .noWorker)
        let gpu = h.addWorker("gpu", resources: ["GPU": 1])
        #expect(h.worker(of: "train") == gpu)
        #expect(h.computes()[0].resources.map(\.description) == ["GPU=1.0"])
    }

    @Test func restrictionsPinAndLooseRestrictionsFallBack() {
        let h = Harness()
        h.addWorker("a")
        h.submit([TaskSpec(key: "pinned", workers: ["b"])])
        #expect(h.state("pinned") == .noWorker)
        h.submit([TaskSpec(key: "loose", workers: ["b"], allowOtherWorkers: true)])
        #expect(h.state("loose") == .processing)
        let b = h.addWorker("b")
        #expect(h.worker(of: "pinned") == b)
    }

    /// Root-ish tasks (a large group without dependencies) take a worker's slots
    /// (ceil(1.1 × threads)) and queue the rest, in priority order.
    @Test func rootishTasksQueueBySaturation() {
        let h = Harness()
        h.addWorker("a", threads: 2)  // 3 slots
        h.submit((0..<10).map { TaskSpec(key: "load-\($0)") })
        #expect(h.scheduler.isRootish(h.id("load-0")))
        #expect(h.scheduler.count(in: .processing) == 3)
        #expect(h.scheduler.count(in: .queued) == 7)
        #expect(h.computedKeys == ["load-0", "load-1", "load-2"])
        h.finish("load-1")
        #expect(h.computedKeys == ["load-3"])
        // A joining worker takes queued work at once.
        h.addWorker("b", threads: 1)
        #expect(h.computedKeys == ["load-4", "load-5"])
    }

    @Test func infiniteSaturationDisablesQueuing() {
        let h = Harness { $0.workerSaturation = .infinity }
        h.addWorker("a")
        h.submit((0..<10).map { TaskSpec(key: "load-\($0)") })
        #expect(h.scheduler.count(in: .queued) == 0)
        #expect(h.scheduler.count(in: .processing) == 10)
    }

    @Test func smallGroupsAreNotRootish() {
        let h = Harness()
        h.addWorker("a", threads: 4)
        h.submit((0..<5).map { TaskSpec(key: "load-\($0)") })
        #expect(!h.scheduler.isRootish(h.id("load-0")))
        #expect(h.scheduler.count(in: .processing) == 5)
    }
}
