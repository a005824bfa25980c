import Cluster
import Futures
import Scheduling
import Simulation
import Testing

/// dask's batched streams, timed by hand: a message leaves at once if its stream last sent at
/// least its interval ago, else it waits and leaves with everything sent meanwhile, as one
/// delivery.
@Suite struct BatchedStreamTests {
    /// The scheduler's deliveries of one kind of message: (time, batch id).
    private func deliveries(_ simulation: SimulatedCluster, _ kind: MessageKind) -> [(
        time: Nanoseconds, batch: Int64
    )] {
        simulation.trace.records.filter {
            $0.kind == .delivered && $0.to == 0 && $0.from == kind.rawValue
        }.map { ($0.time, $0.detail) }
    }

    /// Three tasks end 1 ms apart on one worker: the first finish finds the worker's stream
    /// idle (its last send, the start notices, was 10 ms before) and leaves at once; the
    /// second comes 1 ms after that send and waits until 2 ms after it, when the third joins
    /// it: the two arrive together, in one batch, in the order sent.
    @Test func finishesOneMillisecondApartShareABatch() throws {
        let (simulation, client) = cluster([WorkerSetup(name: "a", threads: 3)])
        let futures = [10, 11, 12].map { ms in
            client.submit("job", ms, options: taking(Nanoseconds(ms) * millisecond)) { $0 }
        }
        #expect(try client.gather(futures) == [10, 11, 12])
        let finished = deliveries(simulation, .taskFinished)
        #expect(finished.map(\.time) == [10, 12, 12].map { $0 * millisecond })
        #expect(finished[0].batch == 0, "a message that left alone")
        #expect(finished[1].batch > 0 && finished[1].batch == finished[2].batch)
        let order = simulation.trace.records.filter {
            $0.kind == .schedulerTransition && $0.to == SchedulerTaskState.memory.rawValue
        }.map { simulation.scheduler.key(of: TaskID(Int($0.task))) }
        #expect(order == futures.map(\.key))
    }

    /// A batch is one delivery: it takes the link's latency once, from when it leaves.
    @Test func aBatchTakesTheLatencyOnce() throws {
        let (simulation, client) = cluster([WorkerSetup(name: "a", threads: 3)]) {
            $0.workerLatency = millisecond
        }
        let futures = [10, 11, 12].map { ms in
            client.submit("job", ms, options: taking(Nanoseconds(ms) * millisecond)) { $0 }
        }
        _ = try client.gather(futures)
        // Compute requests arrive at 1 ms, so the tasks end at 11, 12 and 13 ms; the start
        // notices left at 1 ms, so the first finish leaves at once, and the others at 3 ms
        // after that send (13 ms), each arriving 1 ms later.
        #expect(
            deliveries(simulation, .taskFinished).map(\.time)
                == [12, 14, 14].map { $0 * millisecond })
    }

    /// The client's stream holds a second submission made 1 ms after the first until 10 ms
    /// after it; without batching it goes at once.
    @Test func theClientStreamHoldsASecondSubmission() throws {
        func starts(_ batching: BatchIntervals) throws -> [Nanoseconds] {
            let (simulation, client) = cluster { $0.batching = batching }
            let first = client.submit("first", options: taking(second)) { 1 }
            simulation.run(until: millisecond)
            let later = client.submit("later", options: taking(second)) { 2 }
            _ = try client.gather([first, later])
            return simulation.starts(of: first.key) + simulation.starts(of: later.key)
        }
        #expect(try starts(.dask) == [0, 10 * millisecond])
        #expect(try starts(.none) == [0, millisecond])
    }

    /// Messages the scheduler sends in one event leave together: a retry's free-keys and its
    /// new compute request reach the worker in one batch, so the retry starts at once.
    @Test func oneEventsMessagesLeaveTogether() throws {
        let (simulation, client) = cluster(
            [WorkerSetup(name: "a")],
            faults: [.failTask(key: "flaky", attempts: [1], error: "ValueError")])
        let future = client.submit("flaky", options: taking(second, retries: 1, key: "flaky")) {
            5
        }
        #expect(try future.result() == 5)
        #expect(simulation.starts(of: "flaky") == [0, second])
        let toWorker = simulation.trace.records.filter {
            $0.kind == .delivered && $0.to == 1 && $0.time == second
        }
        #expect(
            toWorker.count == 2 && toWorker[0].detail > 0
                && toWorker[0].detail == toWorker[1].detail)
    }

    /// The same program and seed give the same trace with batching, in one process as in
    /// two runs.
    @Test func batchedRunsAreReproducible() throws {
        func hash() throws -> String {
            let (simulation, client) = cluster([WorkerSetup(name: "a", threads: 2)])
            let futures = client.map("job", Array(0..<20), options: taking(3 * millisecond)) {
                $0
            }
            _ = try client.gather(futures)
            return simulation.trace.hash
        }
        #expect(try hash() == hash())
    }
}
