import Cluster
import Testing
import ThreadExecutor

/// The control thread's processor time, which tells whether that thread limits a run.
@Suite struct ControlCPUTimeTests {
    /// It grows with the work the control thread does, never beyond the time the thread has
    /// existed (a process's time, with the pool threads' in it, could), and is gone once the
    /// cluster stops.
    @Test func countsTheControlThreadOnlyWhileItRuns() throws {
        let clock = ContinuousClock()
        let start = clock.now
        let (cluster, client) = cluster()
        let futures = client.map("job", Array(0..<2_000), options: taking(0)) { $0 }
        _ = try client.gather(futures, timeout: .seconds(30))
        let busy = try #require(cluster.controlCPUTime)
        let existed = clock.now - start
        #expect(busy > .zero)
        #expect(busy <= existed)
        _ = client.map("more", Array(0..<2_000), options: taking(0)) { $0 }
        #expect(cluster.waitUntilQuiet(timeout: .seconds(30)))
        #expect(try #require(cluster.controlCPUTime) > busy)
        cluster.shutdown()
        #expect(cluster.controlCPUTime == nil)
    }
}
