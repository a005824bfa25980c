import Cluster
import Futures
import Scheduling
import Simulation
import Testing

/// Workers with a memory limit, end to end: the data a worker holds pauses it above 80 % of
/// its limit and gets it restarted above 95 %, as dask's memory monitor and nanny do (with
/// spilling off, as for data that cannot be spilled).
@Suite struct SimulatedWorkerMemoryTests {
    private static let megabyte: Int64 = 1_000_000
    /// dask's thresholds without spilling, for data that cannot be spilled.
    private static let unspilled = MemoryThresholds(target: nil, spill: nil)

    /// One second of work with a result of `size` bytes.
    private func producing(_ size: Int64, key: String) -> TaskOptions {
        var options = taking(second, key: key)
        options.model.outputSize = size
        return options
    }

    /// Three 30 MB results fill 90 % of a 100 MB worker: it pauses after the third, and the
    /// fourth task waits until the program lets go of one (at 4 s), then runs 4 → 5 s.
    @Test func aFullWorkerPausesUntilDataIsReleased() throws {
        let (simulation, client) = cluster([
            WorkerSetup(name: "a", memory: 100 * Self.megabyte, memoryThresholds: Self.unspilled)
        ])
        var held = (1...3).map { index in
            client.submit("part", index, options: producing(30 * Self.megabyte, key: "p\(index)")) {
                $0
            }
        }
        let last = client.submit("last", options: producing(1, key: "last")) { 4 }
        simulation.schedule(at: 4 * second) { held.removeFirst() }
        #expect(try last.result() == 4)
        #expect(simulation.starts(of: "last") == [4 * second])
        #expect(simulation.now == 5 * second)
        let statusChanges = simulation.trace.records.filter {
            $0.kind == .delivered && $0.from == MessageKind.workerStatusChange.rawValue
        }
        #expect(statusChanges.map(\.time) == [3 * second, 4 * second])
        withExtendedLifetime(held) {}
    }

    /// A program that holds every result of a full worker leaves the rest waiting for it: the
    /// hang names the paused worker. With work stealing, its periodic balancing (which finds
    /// nothing to do) does not hide the hang.
    @Test(arguments: ["locality", "work-stealing"])
    func aWorkerThatNeverResumesIsNamedInTheHang(policy: String) {
        let (simulation, client) = cluster(
            [WorkerSetup(name: "a", memory: 100 * Self.megabyte, memoryThresholds: Self.unspilled)],
            policy: policy)
        let held = (1...4).map { index in
            client.submit("part", index, options: producing(30 * Self.megabyte, key: "p\(index)")) {
                $0
            }
        }
        guard case .hang(let time, let stuck)? = simulation.runToQuiescence() else {
            Issue.record("no hang: \(String(describing: simulation.failure))")
            return
        }
        // Balancing ends the run at its first tick after the pause (every second) that finds
        // nothing to do.
        #expect(time == (policy == "work-stealing" ? 4 : 3) * second)
        #expect(stuck == ["p4 (processing on paused worker a, holding 90MB of 100MB)"])
        withExtendedLifetime(held) {}
    }

    /// A result too big for its worker kills it before it is reported: the nanny restarts
    /// the process, the task runs again there, and after `allowedFailures` deaths it errs
    /// with KilledWorker (dask's story for a task that blows a worker's memory).
    @Test func aResultTooBigForItsWorkerEndsInKilledWorker() throws {
        let (simulation, client) = cluster([
            WorkerSetup(name: "a", memory: 100 * Self.megabyte, memoryThresholds: Self.unspilled)
        ]) {
            $0.scheduler.allowedFailures = 2
            $0.deathDetectionDelay = 100 * millisecond
        }
        let big = client.submit("big", options: producing(200 * Self.megabyte, key: "big")) { 1 }
        let error = #expect(throws: TaskFailure.self) { try big.result() }
        #expect(error?.kind == "KilledWorker")
        // Each attempt: 1 s of work, then the death is noticed 100 ms later and the restarted
        // process joins.
        #expect(
            simulation.starts(of: "big") == [0, 1_100 * millisecond, 2_200 * millisecond])
        let restarts = simulation.trace.records.filter {
            $0.kind == .fault && $0.from == FaultCode.memory.rawValue
        }
        #expect(restarts.count == 3)
        // The restarted worker is there for the next task.
        let small = client.submit("small", options: producing(1, key: "small")) { 2 }
        #expect(try small.result() == 2)
    }

    /// With the thresholds off, a worker holds more than its limit and nothing happens.
    @Test func thresholdsOffMeanNoPauseAndNoRestart() throws {
        let off = MemoryThresholds(target: nil, spill: nil, pause: nil, terminate: nil)
        let (simulation, client) = cluster([
            WorkerSetup(name: "a", memory: 10 * Self.megabyte, memoryThresholds: off)
        ])
        let big = client.submit("big", options: producing(200 * Self.megabyte, key: "big")) { 1 }
        #expect(try big.result() == 1)
        #expect(simulation.now == second)
    }
}
