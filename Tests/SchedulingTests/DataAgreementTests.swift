import Scheduling
import Testing

/// With nothing in flight, the scheduler counts exactly the results its workers hold.
@Suite struct DataAgreementTests {
    /// x on a, y (from x) on b, z wanted later: every copy is counted once all is delivered.
    func settled() -> (MiniCluster, TaskID, TaskID, WorkerID, WorkerID) {
        let cluster = MiniCluster()
        let a = cluster.addWorker("a")
        let b = cluster.addWorker("b")
        cluster.submit([
            KeyedSpec(key: "x", workers: ["a"]),
            KeyedSpec(key: "y", dependencies: ["x"], workers: ["b"]),
        ])
        cluster.runUntilQuiet()
        let x = cluster.scheduler.keys.id(of: "x")!
        let y = cluster.scheduler.keys.id(of: "y")!
        #expect(cluster.scheduler.scheduler.replicas(of: x) == [a, b])
        return (cluster, x, y, a, b)
    }

    @Test func aCopyTheSchedulerDoesNotCountIsNamed() {
        let (cluster, _, y, a, _) = settled()
        _ = cluster.workers[a.int]!.handle(.updateData(y, run: RunID(77), size: 8))
        #expect(
            cluster.dataAgreementViolations == [
                "a holds y, which the scheduler does not count there (memory on [\"b\"])"
            ])
    }

    @Test func aCountedCopyAWorkerDroppedIsNamed() {
        let (cluster, x, _, _, b) = settled()
        _ = cluster.workers[b.int]!.handle(.freeKeys([x]))
        #expect(
            cluster.dataAgreementViolations == [
                "the scheduler counts x on b, which does not hold it"
            ]
        )
    }
}
