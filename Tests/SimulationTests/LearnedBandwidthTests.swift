import Cluster
import Futures
import Scheduling
import Simulation
import Testing

/// Workers measure their transfers over 1 MB and heartbeat what they saw; the scheduler
/// learns its bandwidth from the heartbeats (dask's `_update_metrics_received_data` and
/// `heartbeat_worker`), timed by hand.
@Suite struct LearnedBandwidthTests {
    /// One 2 MB transfer over a 10 MB/s link takes 200 ms: b's estimate moves a twentieth of
    /// the way from 100 MB/s to 10 MB/s, 95.5 MB/s. The heartbeats at 500 ms then blend a's
    /// 100 MB/s and b's 95.5 MB/s into the scheduler's figure, half each with two workers:
    /// 100 → 100 → 97.75 MB/s. Switched off, nothing is measured and no heartbeat is sent.
    @Test(arguments: [true, false])
    func oneTransferTeachesTheScheduler(learns: Bool) throws {
        let (simulation, client) = cluster {
            $0.cluster.network = NetworkModel(latency: 0, bandwidth: 10_000_000)
            $0.cluster.batching = .none
            $0.cluster.scheduler.learnsBandwidth = learns
        }
        var options = taking(10 * millisecond, workers: ["a"])
        options.model.outputSize = 2_000_000
        let made = client.submit("made", options: options) { 1 }
        let used = client.submit("used", made, options: taking(0, workers: ["b"])) { $0 + 1 }
        #expect(try used.result() == 2)
        #expect(simulation.runToQuiescence() == nil)
        let b = try #require(simulation.core.liveWorkers.last)
        let heartbeats = simulation.trace.records.filter {
            $0.kind == .delivered && $0.from == MessageKind.heartbeat.rawValue
        }
        if learns {
            #expect(abs(b.bandwidth - 95_500_000) < 1)
            #expect(heartbeats.map(\.time) == [500 * millisecond, 500 * millisecond])
            #expect(abs(simulation.scheduler.bandwidth - 97_750_000) < 1)
        } else {
            #expect(b.bandwidth == 100_000_000)
            #expect(heartbeats.isEmpty)
            #expect(simulation.scheduler.bandwidth == 100_000_000)
        }
    }

    /// A transfer of 1 MB or less teaches nothing, as in dask.
    @Test func smallTransfersAreNotMeasured() throws {
        let (simulation, client) = cluster {
            $0.cluster.network = NetworkModel(latency: 0, bandwidth: 10_000_000)
        }
        var options = taking(10 * millisecond, workers: ["a"])
        options.model.outputSize = 1_000_000
        let made = client.submit("made", options: options) { 1 }
        _ = try client.submit("used", made, options: taking(0, workers: ["b"])) { $0 }.result()
        #expect(simulation.core.liveWorkers.allSatisfy { $0.bandwidth == 100_000_000 })
        #expect(simulation.scheduler.bandwidth == 100_000_000)
    }

    /// dask's heartbeat interval grows with the cluster so the scheduler hears about 200
    /// heartbeats a second at most.
    @Test func theIntervalFollowsTheClusterSize() {
        let interval = ClusterCore<SimulatedCluster>.heartbeatInterval(workers:)
        #expect(
            [1, 10, 11, 49, 50, 199, 200, 1_000].map(interval) == [
                500 * millisecond, 500 * millisecond, 1_000 * millisecond, 1_000 * millisecond,
                2_000 * millisecond, 2_000 * millisecond, 2_000 * millisecond, 6_000 * millisecond,
            ])
    }
}
