import Cluster
import Futures
import Scheduling
import Simulation
import Testing

/// What only a virtual clock shows of the client semantics (the semantics themselves run on
/// both backends in ClusterTests): exact times, and interleavings a clock that can stop makes
/// certain.
@Suite struct VirtualClockTests {
    @Test func aResultArrivesAtItsVirtualTime() throws {
        let (simulation, client) = cluster()
        let future = client.submit("inc", 41, options: taking(second)) { $0 + 1 }
        #expect(try future.result() == 42)
        #expect(simulation.now == second)
        #expect(simulation.failure == nil)
    }

    @Test func retriesTakeTheirTime() throws {
        let (simulation, client) = cluster(
            faults: [.failTask(key: "flaky", attempts: [1, 2], error: "ValueError")])
        let future = client.submit("flaky", options: taking(second, retries: 2, key: "flaky")) { 5 }
        #expect(try future.result() == 5)
        #expect(simulation.now == 3 * second)
    }

    /// A worker started again under its name before its death was noticed joins when it is
    /// (it used to wait for that moment over and over, at that moment).
    @Test func aWorkerRestartedBeforeItsDeathIsNoticedJoinsWhenItIs() throws {
        let (simulation, client) = cluster(
            [WorkerSetup(name: "a")],
            faults: [
                .kill(worker: "a", at: second / 2),
                .add(WorkerSetup(name: "a"), at: second / 2 + millisecond),
            ]
        ) { $0.deathDetectionDelay = 100 * millisecond }
        let future = client.submit("job", options: taking(second)) { 1 }
        #expect(try future.result() == 1)
        #expect(simulation.starts(of: future.key) == [0, second / 2 + 100 * millisecond])
    }

    @Test func aDeadWorkersTaskRunsElsewhereOnceTheDeathIsNoticed() throws {
        let (simulation, client) = cluster(faults: [.kill(worker: "a", at: second / 2)]) {
            $0.deathDetectionDelay = 100 * millisecond
        }
        var options = taking(second, workers: ["a"])
        options.allowOtherWorkers = true
        let future = client.submit("job", options: options) { 1 }
        #expect(try future.result() == 1)
        #expect(simulation.starts(of: future.key) == [0, second / 2 + 100 * millisecond])
    }

    /// A cancel that reaches the scheduler after the task finished changes nothing there and
    /// breaks nothing: the client's future stays cancelled.
    @Test func cancelThatArrivesAfterCompletion() {
        let (simulation, client) = cluster { $0.clientLatency = 10 * millisecond }
        let future = client.submit("job", options: taking(second)) { 1 }
        simulation.run(until: second + 5 * millisecond)
        #expect(future.isRunning, "the finish is still on its way to the client")
        #expect(future.cancel(force: true))
        simulation.runToQuiescence()
        #expect(future.isCancelled)
        #expect(simulation.failure == nil)
    }

    /// R8 with the task running: cancel, then submit the same key again at once; the new
    /// future gets its result.
    @Test func cancelWhileRunningThenResubmitAtOnce() throws {
        let (simulation, client) = cluster { $0.clientLatency = 5 * millisecond }
        let first = client.submit("inc", 200, options: taking(second)) { $0 + 1 }
        simulation.run(until: 10 * millisecond)
        #expect(first.isRunning)
        #expect(first.cancel(force: true))
        let again = client.submit("inc", 200, options: taking(second)) { $0 + 1 }
        #expect(first.key == again.key)
        #expect(try again.result() == 201)
        #expect(first.isCancelled)
    }

    @Test func resourcesStartTheTaskWhenTheirWorkerJoins() throws {
        let (simulation, client) = cluster(
            faults: [.add(WorkerSetup(name: "gpu", resources: ["GPU": 1]), at: 5 * second)])
        let future = client.submit("train", options: taking(second, resources: ["GPU": 1])) { 1 }
        #expect(try future.result() == 1)
        #expect(simulation.starts(of: future.key) == [5 * second])
    }

    /// Futures dropped at one instant are released in one message, which frees every key; a
    /// release sent after another message is a message of its own.
    @Test func releasesMadeAtOnceTravelTogether() {
        let (simulation, client) = cluster()
        var futures = client.map("job", Array(0..<50), options: taking(second)) { $0 }
        var last: ClientFuture<Int>? = client.submit("last", options: taking(second)) { 0 }
        simulation.runToQuiescence()
        let keys = futures.map(\.key) + [last!.key]
        func releasesSent() -> Int {
            simulation.trace.records.filter {
                $0.kind == .clientSent && $0.from == MessageKind.release.rawValue
            }.count
        }
        futures = []
        #expect(releasesSent() == 1)
        let more = client.submit("more", options: taking(second)) { 0 }
        last = nil
        #expect(releasesSent() == 2)
        simulation.runToQuiescence()
        #expect(more.status == .finished)
        for key in keys {
            #expect(
                simulation.scheduler.state(of: simulation.taskKeys.id(of: key)!)
                    == .forgotten)
        }
    }

    /// A first-completed wait returns when the first future finishes, in virtual time.
    @Test func waitReturnsAtTheFirstCompletion() throws {
        let (simulation, client) = cluster()
        let slow = client.submit("slow", options: taking(5 * second)) { 0 }
        let fast = client.submit("fast", options: taking(1 * second)) { 0 }
        let done = wait([slow, fast], timeout: .seconds(2), returnWhen: .firstCompleted)
        #expect(done.done == [fast] && done.notDone == [slow])
        #expect(simulation.now == second)
    }

    /// Timeouts are virtual: waiting half a second for a one-second task moves the clock by
    /// half a second, not the wall clock.
    @Test func timeoutsAreVirtual() throws {
        let (simulation, client) = cluster()
        let future = client.submit("job", options: taking(second)) { 1 }
        #expect(throws: TimeoutError.self) { try future.result(timeout: .milliseconds(500)) }
        #expect(simulation.now == second / 2)
        #expect(try future.result(timeout: .seconds(1)) == 1)
    }

    /// A future keeps its client (and so its cluster's reports) alive: a client nobody names
    /// any more still delivers the results of the futures it handed out.
    @Test func aFutureKeepsItsClient() throws {
        let simulation = SimulatedCluster(
            configuration: SimulationConfiguration(seed: 1),
            workers: [WorkerSetup(name: "a")])
        let future = Client(simulation).submit("inc", 41, options: taking(second)) { $0 + 1 }
        #expect(try future.result() == 42)
    }
}
