import Cluster
import Dispatch
@_spi(Locking) import Futures
import Scheduling
import Testing
import ThreadExecutor

/// What only real threads show of the client semantics (the semantics themselves run on both
/// backends in ClusterTests): client calls from many threads, a control loop held busy.
@Suite struct ClientOnThreadsTests {
    /// Futures dropped while their first release waits for the control loop go in that one
    /// message, which frees every key; a release sent after another message is one of its own.
    @Test func releasesMadeWhileOneWaitsTravelTogether() throws {
        let (cluster, client) = cluster()
        var futures = client.map("job", Array(0..<50), options: taking(0)) { $0 }
        var last: ClientFuture<Int>? = client.submit("last", options: taking(0)) { 0 }
        _ = try client.gather(futures + [last!], timeout: .seconds(30))
        let keys = futures.map(\.key) + [last!.key]
        // The blocker's done-callback runs on the control loop and holds it there until the
        // futures are dropped, so none of their releases reaches the scheduler before the last.
        // (The blocker's body waits until the callback is added, so the callback cannot run
        // here.)
        let added = DispatchSemaphore(value: 0)
        let held = DispatchSemaphore(value: 0)
        let resume = DispatchSemaphore(value: 0)
        let blocker = client.submit("blocker", options: taking(0)) {
            added.wait()
            return 0
        }
        blocker.addDoneCallback { _ in
            held.signal()
            resume.wait()
        }
        added.signal()
        held.wait()
        futures = []
        let more = client.submit("more", options: taking(0)) { 0 }
        last = nil
        resume.signal()
        #expect(try more.result(timeout: .seconds(30)) == 0)
        cluster.finish()
        let releases = cluster.traceRecords.filter {
            $0.kind == .clientSent && $0.from == MessageKind.release.rawValue
        }
        #expect(releases.count == 2)
        for key in keys {
            #expect(cluster.scheduler.state(of: cluster.taskKeys.id(of: key)!) == .forgotten)
        }
    }

    /// Client calls from many threads at once.
    @Test func submitsFromManyThreads() throws {
        let (cluster, client) = cluster()
        let results = Locked<[Int]>([])
        DispatchQueue.concurrentPerform(iterations: 8) { thread in
            let futures = client.map("times-\(thread)", Array(0..<50)) { $0 * thread }
            let values = try! client.gather(futures, timeout: .seconds(30))
            results.withLock { $0.append(values.reduce(0, +)) }
        }
        #expect(results.withLock { $0.sorted() } == (0..<8).map { 1225 * $0 })
        cluster.finish()
    }

    /// An executor that keeps no trace still runs everything and settles every future; the
    /// same work with the trace kept records each step.
    @Test func withoutATraceTheWorkIsTheSame() throws {
        for keepsTrace in [false, true] {
            let (cluster, client) = cluster { $0.keepsTrace = keepsTrace }
            let futures = client.map("double", Array(0..<200)) { $0 * 2 }
            let values = try client.gather(futures, timeout: .seconds(30))
            #expect(values == (0..<200).map { $0 * 2 })
            cluster.finish()
            #expect(cluster.traceRecords.isEmpty == !keepsTrace)
            #expect(cluster.failure == nil)
        }
    }
}
