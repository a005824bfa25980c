import Scheduling
import Testing

/// A worker's occupancy counts its processing tasks at what their group is expected to take
/// now, as dask's `_calc_occupancy` does, so it follows what the scheduler learns.
@Suite struct OccupancyTests {
    static let unknown: Nanoseconds = 500_000_000

    /// Four tasks of one group on one worker: at first the unknown-duration guess each; once
    /// one is seen running, twice the longest it ran; once one finished, the group's average,
    /// for the three left. Declared durations stay as declared; a long-running task leaves.
    @Test func occupancyFollowsTheGroupsEstimate() {
        let h = Harness(configure: { $0.workerSaturation = .infinity })
        let a = h.addWorker("a", threads: 4)
        h.submit(
            (0..<4).map { KeyedSpec(key: "sum-\($0)") }
                + [KeyedSpec(key: "told", estimatedDuration: 70_000_000)])
        #expect(h.scheduler.processingCount(on: a) == 5)
        #expect(h.scheduler.occupancy(of: a) == 4 * Self.unknown + 70_000_000)

        h.now = 10_000_000
        h.send(.taskStarted(h.id("sum-0"), worker: a, run: h.run(of: "sum-0")))
        // The scheduler's clock moves with its events: at 30 ms the group has been seen
        // running for 20 ms, so each of the four is expected to take 40 ms.
        h.now = 30_000_000
        h.send(.taskStarted(h.id("sum-1"), worker: a, run: h.run(of: "sum-1")))
        #expect(h.scheduler.occupancy(of: a) == 4 * 40_000_000 + 70_000_000)

        h.finish("sum-0", duration: 100_000_000)
        #expect(h.scheduler.expectedDuration(of: h.id("sum-1")) == 100_000_000)
        #expect(h.scheduler.occupancy(of: a) == 3 * 100_000_000 + 70_000_000)

        h.send(
            .longRunning(
                h.id("sum-1"), worker: a, run: h.run(of: "sum-1"), computeDuration: nil))
        #expect(h.scheduler.occupancy(of: a) == 2 * 100_000_000 + 70_000_000)
        h.finish("told")
        h.finish("sum-1", duration: 100_000_000)
        h.finish("sum-2", duration: 50_000_000)
        // The average moves halfway to each new duration: (100 + 50) / 2 ms for the last.
        #expect(h.scheduler.occupancy(of: a) == 75_000_000)
        h.finish("sum-3")
        #expect(h.scheduler.occupancy(of: a) == 0)
    }

    /// The transfer of an input a worker lacks is charged when the task is placed, at the
    /// scheduler's bandwidth, beside the group's estimate.
    @Test func aMissingInputIsChargedAtPlacement() {
        let h = Harness()
        let a = h.addWorker("a")
        let b = h.addWorker("b")
        h.submit([KeyedSpec(key: "load", workers: ["a"])])
        h.finish("load", size: 100_000_000)  // 1 s at 100 MB/s
        #expect(h.scheduler.occupancy(of: a) == 0)
        h.submit([
            KeyedSpec(key: "use", dependencies: ["load"], workers: ["b"])
        ])
        #expect(h.worker(of: "use") == b)
        #expect(h.scheduler.occupancy(of: b) == 1_000_000_000 + Self.unknown)
    }
}
