import Cluster
import Futures
import Scheduling
import Simulation
import Testing

/// `scatter`: data a client places on workers, end to end through a simulated cluster.
@Suite struct ScatterTests {
    /// Values go round-robin to the workers and are in memory when the call returns; nothing
    /// runs for them.
    @Test func valuesArePlacedRoundRobinAndFinished() throws {
        let (simulation, client) = cluster()
        let futures = client.scatter([10, 20, 30])
        #expect(futures.map(\.status) == [.finished, .finished, .finished])
        #expect(try client.gather(futures) == [10, 20, 30])
        let holders = futures.map { future in
            simulation.scheduler.replicas(of: simulation.taskKeys.id(of: future.key)!)
                .map(simulation.scheduler.name(of:))
        }
        #expect(holders == [["a"], ["b"], ["a"]])
        #expect(futures.allSatisfy { $0.key.hasPrefix("Int-") && $0.key.count == 4 + 32 })
        #expect(futures.allSatisfy { simulation.starts(of: $0.key).isEmpty })
        #expect(simulation.failure == nil)
    }

    /// Client to scheduler, scheduler to worker (each message carrying the data: latency plus
    /// size over bandwidth), the worker's confirmation and the report back: 1 + 100 + 2 + 100
    /// + 2 + 1 ms.
    @Test func theRoundTripTakesLatencyPlusSizeOverBandwidth() {
        let (simulation, client) = cluster { configuration in
            configuration.cluster.clientLatency = 1 * millisecond
            configuration.cluster.workerLatency = 2 * millisecond
            configuration.cluster.network = NetworkModel(bandwidth: 1_000_000_000)
        }
        let futures = client.scatter(["blob"], size: 100_000_000)
        #expect(futures[0].status == .finished)
        #expect(simulation.now == 206 * millisecond)
    }

    @Test func scatteredDataFeedsTasksWhereItIs() throws {
        let (simulation, client) = cluster()
        let data = client.scatter([5, 6], workers: ["b"])
        let sum = client.submit("add", data[0], data[1], options: taking(second)) { $0 + $1 }
        #expect(try sum.result() == 11)
        let task = simulation.taskKeys.id(of: sum.key)!
        #expect(
            simulation.scheduler.replicas(of: task).map(simulation.scheduler.name(of:)) == ["b"])
        #expect(!simulation.trace.records.contains { $0.kind == .transferStarted })
    }

    /// The same value is one key: scattering it again sends nothing and takes no time.
    @Test func aValueScatteredAgainIsTheSameKey() throws {
        let (simulation, client) = cluster { $0.cluster.clientLatency = millisecond }
        let first = client.scatter(["x"])[0]
        let sent = simulation.trace.records.filter { $0.kind == .clientSent }.count
        let elapsed = simulation.now
        let again = client.scatter(["x"])[0]
        #expect(again.key == first.key && again.status == .finished)
        #expect(simulation.trace.records.filter { $0.kind == .clientSent }.count == sent)
        #expect(simulation.now == elapsed)
        #expect(try again.result() == "x")
    }

    @Test func givenKeysNameTheData() throws {
        let (_, client) = cluster()
        let futures = client.scatter([1.5, 2.5], keys: ["left", "right"])
        #expect(futures.map(\.key) == ["left", "right"])
        #expect(try client.gather(futures) == [1.5, 2.5])
    }

    @Test func noRunningWorkerOfThoseNamedErrs() {
        let (simulation, client) = cluster()
        let future = client.scatter([1], workers: ["nobody"])[0]
        #expect(future.status == .error)
        let error = #expect(throws: TaskFailure.self) { try future.result() }
        #expect(error?.kind == "NoValidWorkerError")
        #expect(simulation.failure == nil)
    }

    /// A worker dies while the data is on its way to it: the value cannot be computed again,
    /// so its future is cancelled.
    @Test func dataLostOnTheWayCancelsItsFuture() {
        // 100 MB at the default 100 MB/s: a second on each link; the kill falls in the second.
        let (simulation, client) = cluster(faults: [.kill(worker: "a", at: 3 * second / 2)])
        let future = client.scatter([1], size: 100_000_000)[0]
        #expect(future.status == .cancelled)
        #expect(simulation.now == 3 * second / 2)
        #expect(simulation.runToQuiescence() == nil)
    }

    /// dask forgets lost scattered data: its clients, and those of dependents that had not
    /// run, hear it is cancelled; a dependent that ran keeps its result (here copied to b
    /// before a dies); nothing hangs.
    @Test func lostDataCancelsItAndDependentsThatHadNotRun() throws {
        let (simulation, client) = cluster(faults: [.kill(worker: "a", at: 2 * second)])
        let data = client.scatter([3], workers: ["a"])[0]
        let done = client.submit("inc", data, options: taking(second, workers: ["a"])) { $0 + 1 }
        let copy = client.submit("copy", done, options: taking(0, workers: ["b"])) { $0 }
        #expect(try copy.result() == 4)
        let slow = client.submit("slow", options: taking(5 * second, workers: ["b"])) { 10 }
        let later = client.submit(
            "add", data, slow, options: taking(second, workers: ["b"])
        ) { $0 + $1 }
        simulation.run(until: 3 * second)
        #expect(data.status == .cancelled)
        #expect(later.status == .cancelled)
        #expect(try slow.result() == 10)
        #expect(simulation.runToQuiescence() == nil)
        #expect(simulation.starts(of: later.key).isEmpty)
        #expect(simulation.starts(of: data.key).isEmpty)
        #expect(try done.result() == 4)
        #expect(simulation.starts(of: done.key).count == 1)
    }

    /// A copy a dependent fetched is a replica the scheduler knows of: the data outlives the
    /// worker it was scattered to.
    @Test func aFetchedCopyKeepsTheDataWhenItsWorkerDies() throws {
        // a dies before the memory manager's first run (at 2 s) could drop either copy.
        let (simulation, client) = cluster(faults: [.kill(worker: "a", at: 1_500 * millisecond)])
        let data = client.scatter([3], workers: ["a"])[0]
        let done = client.submit("inc", data, options: taking(second, workers: ["b"])) { $0 + 1 }
        #expect(try done.result() == 4)
        simulation.run(until: 3 * second)
        #expect(data.status == .finished)
        let later = client.submit("add", data, options: taking(second, workers: ["b"])) { $0 + 1 }
        #expect(try later.result() == 4)
        #expect(simulation.starts(of: data.key).isEmpty)
    }

    /// Dropping the last future releases the data: the scheduler forgets the key and the
    /// worker frees it.
    @Test func droppingTheFutureFreesTheData() {
        let (simulation, client) = cluster()
        var key = ""
        do {
            key = client.scatter(["payload"], size: 1_000)[0].key
        }
        #expect(simulation.runToQuiescence() == nil)
        let task = simulation.taskKeys.id(of: key)!
        #expect(simulation.scheduler.state(of: task) == .forgotten)
        #expect(
            simulation.trace.records.contains { record in
                record.kind == .workerTransition && record.task == task.index
                    && record.to == WorkerTaskState.released.rawValue
            })
    }
}
