#if canImport(Glibc)
    import Glibc
#endif
import Cluster
import Futures
import Scheduling
import Simulation
import Testing

/// Timings computed by hand, faults, hangs and determinism.
@Suite struct SimulationTimingTests {
    /// Four one-second tasks on two single-thread workers, no overhead and no batching: done
    /// at exactly 2 s.
    @Test func fourTasksOnTwoWorkers() throws {
        let (simulation, client) = cluster { $0.batching = .none }
        let futures = client.map("job", [1, 2, 3, 4], options: taking(second)) { $0 }
        #expect(try client.gather(futures) == [1, 2, 3, 4])
        #expect(simulation.now == 2 * second)
    }

    /// 100 MB at 1 GB/s with 1 ms latency takes exactly 101 ms (no batching: with it, the
    /// finish waits for the start notice's stream).
    @Test func transferTime() throws {
        let (simulation, client) = gigabitCluster()
        let produce = producing(100_000_000, on: "a")
        let data = client.submit("data", options: produce) { 1 }
        let use = client.submit("use", data, options: taking(0, workers: ["b"])) { $0 + 1 }
        #expect(try use.result() == 2)
        #expect(simulation.starts(of: use.key) == [101 * millisecond])
    }

    /// Two transfers into one worker share its link: the second ends a transfer time later.
    @Test func transfersIntoOneWorkerShareItsLink() throws {
        func finish(contention: Bool) throws -> Nanoseconds {
            let (simulation, client) = cluster(
                [
                    WorkerSetup(name: "a"), WorkerSetup(name: "b"),
                    WorkerSetup(name: "c"),
                ]
            ) {
                $0.network = NetworkModel(
                    latency: 0, bandwidth: 1_000_000_000, contention: contention)
                $0.batching = .none
            }
            var produceA = taking(0, workers: ["a"])
            produceA.model.outputSize = 100_000_000
            var produceB = taking(0, workers: ["b"])
            produceB.model.outputSize = 100_000_000
            let x = client.submit("x", options: produceA) { 1 }
            let y = client.submit("y", options: produceB) { 2 }
            let sum = client.submit("sum", x, y, options: taking(0, workers: ["c"])) { $0 + $1 }
            #expect(try sum.result() == 3)
            return simulation.starts(of: sum.key)[0]
        }
        #expect(try finish(contention: true) == 200 * millisecond)
        #expect(try finish(contention: false) == 100 * millisecond)
    }

    /// Three 10 MB inputs from one peer come in one gather: the latency once, then 30 MB at
    /// 1 GB/s, all three at 31 ms (fetched one by one they would take 33 ms); the worker's
    /// trace has a fetch and a fetched record for each, at the gather's start and end.
    @Test func inputsFromOnePeerComeInOneGather() throws {
        let (simulation, client) = gigabitCluster()
        let produce = producing(10_000_000, on: "a")
        let parts = client.map("part", [1, 2, 3], options: produce) { $0 }
        let sum = client.submit(
            "sum", parts[0], parts[1], parts[2], options: taking(0, workers: ["b"])
        ) { $0 + $1 + $2 }
        #expect(try sum.result() == 6)
        #expect(simulation.starts(of: sum.key) == [31 * millisecond])
        let fetched = simulation.trace.records.filter { $0.kind == .transferEnded }
        #expect(fetched.map(\.time) == Array(repeating: 31 * millisecond, count: 3))
        #expect(fetched.map(\.detail) == Array(repeating: 10_000_000, count: 3))
    }

    /// The first gather from a peer opens the connection (5 ms here); the next one from the
    /// same process reuses it: `first` starts at 1 + 10 + 5 = 16 ms, `second`, whose input
    /// is fetched once `first` is done, 1 + 10 ms later at 27 ms.
    @Test func theFirstGatherFromAPeerOpensTheConnection() throws {
        let (simulation, client) = gigabitCluster(connecting: 5 * millisecond)
        let produce = producing(10_000_000, on: "a")
        let x = client.submit("x", options: produce) { 1 }
        let y = client.submit("y", options: produce) { 2 }
        let first = client.submit("first", x, options: taking(0, workers: ["b"])) { $0 }
        let second = client.submit("second", y, first, options: taking(0, workers: ["b"])) {
            $0 + $1
        }
        #expect(try second.result() == 3)
        #expect(simulation.starts(of: first.key) == [16 * millisecond])
        #expect(simulation.starts(of: second.key) == [27 * millisecond])
    }

    /// A worker process warms up for its first-task delay (20 ms here) from its first order
    /// to execute, and nothing runs on it before: two one-second jobs on one thread start at
    /// 20 ms and 1.02 s; the warm-up is paid once.
    @Test func aWorkersFirstTaskWaitsForItsWarmUp() throws {
        let (simulation, client) = cluster(
            [WorkerSetup(name: "a", firstTaskDelay: 20 * millisecond)]
        ) { $0.batching = .none }
        let jobs = client.map("job", [1, 2], options: taking(second)) { $0 }
        #expect(try client.gather(jobs) == [1, 2])
        let starts = jobs.flatMap { simulation.starts(of: $0.key) }.sorted()
        let ends = jobs.flatMap { simulation.ends(of: $0.key) }.sorted()
        #expect(starts == [20 * millisecond, second + 20 * millisecond])
        #expect(ends == [second + 20 * millisecond, 2 * second + 20 * millisecond])
    }

    /// Every execution ordered during the warm-up waits for its end, on every thread (as a
    /// dask worker's first tasks all start once the task's code is imported); an order after
    /// it starts at once.
    @Test func theWarmUpHoldsEveryThread() throws {
        let (simulation, client) = cluster(
            [WorkerSetup(name: "a", threads: 2, firstTaskDelay: 20 * millisecond)]
        ) { $0.batching = .none }
        let jobs = client.map("job", [1, 2], options: taking(second)) { $0 }
        #expect(try client.gather(jobs) == [1, 2])
        let late = client.submit("late", options: taking(second)) { 3 }
        #expect(try late.result() == 3)
        let starts = jobs.flatMap { simulation.starts(of: $0.key) }
        #expect(starts == Array(repeating: 20 * millisecond, count: 2))
        #expect(simulation.starts(of: late.key) == [second + 20 * millisecond])
    }

    /// A worker process starts its executions one after another, its start gap apart (1 ms
    /// here): three jobs ordered at once on three threads start at 0, 1 and 2 ms, so the
    /// first ends first though all take as long; one ordered when the last ends, the gap long
    /// passed, starts at once.
    @Test func aWorkerStartsItsExecutionsItsStartGapApart() throws {
        let (simulation, client) = cluster(
            [WorkerSetup(name: "a", threads: 3, startGap: .fixed(millisecond))]
        ) { $0.batching = .none }
        let jobs = client.map("job", [1, 2, 3], options: taking(second)) { $0 }
        #expect(try client.gather(jobs) == [1, 2, 3])
        let starts = jobs.flatMap { simulation.starts(of: $0.key) }.sorted()
        #expect(starts == [0, millisecond, 2 * millisecond])
        let late = client.submit("late", options: taking(second)) { 4 }
        #expect(try late.result() == 4)
        #expect(simulation.starts(of: late.key) == [second + 2 * millisecond])
    }

    /// The start gap counts from the warm-up's end: executions ordered during it start at its
    /// end, one after another (2 ms apart here), not all at once.
    @Test func theStartGapFollowsTheWarmUp() throws {
        let (simulation, client) = cluster(
            [
                WorkerSetup(
                    name: "a", threads: 2, firstTaskDelay: 20 * millisecond,
                    startGap: .fixed(2 * millisecond))
            ]
        ) { $0.batching = .none }
        let jobs = client.map("job", [1, 2], options: taking(second)) { $0 }
        #expect(try client.gather(jobs) == [1, 2])
        let starts = jobs.flatMap { simulation.starts(of: $0.key) }.sorted()
        #expect(starts == [20 * millisecond, 22 * millisecond])
    }

    /// A worker process hears an execution's end its handoff later (1 ms here): the end is
    /// recorded when the body is done; the next task on that thread starts, and the client
    /// hears of the result, a handoff after it.
    @Test func aWorkerHearsOfAnEndItsHandoffLater() throws {
        let (simulation, client) = cluster(
            [WorkerSetup(name: "a", handoff: .fixed(millisecond))]
        ) { $0.batching = .none }
        let jobs = client.map("job", [1, 2], options: taking(second)) { $0 }
        #expect(try client.gather(jobs) == [1, 2])
        let starts = jobs.flatMap { simulation.starts(of: $0.key) }.sorted()
        let ends = jobs.flatMap { simulation.ends(of: $0.key) }.sorted()
        #expect(starts == [0, second + millisecond])
        #expect(ends == [second, 2 * second + millisecond])
        #expect(simulation.now == 2 * second + 2 * millisecond)
    }

    /// A handoff given as a distribution is drawn for each execution, from the run's seed:
    /// eight jobs back to back on one thread wait between 1 and 3 ms after each end, not all
    /// alike, and the same seed draws the same waits.
    @Test func aDistributedHandoffIsDrawnForEachExecution() throws {
        func gaps(seed: UInt64) throws -> [Nanoseconds] {
            let (simulation, client) = cluster(
                [WorkerSetup(name: "a", handoff: .uniform(millisecond, 3 * millisecond))],
                seed: seed
            ) { $0.batching = .none }
            let jobs = client.map("job", Array(0..<8), options: taking(second)) { $0 }
            #expect(try client.gather(jobs) == Array(0..<8))
            let starts = jobs.flatMap { simulation.starts(of: $0.key) }.sorted()
            let ends = jobs.flatMap { simulation.ends(of: $0.key) }.sorted()
            return zip(starts.dropFirst(), ends).map { $0 - $1 }
        }
        let drawn = try gaps(seed: 1)
        #expect(drawn.count == 7)
        #expect(drawn.allSatisfy { (millisecond...3 * millisecond).contains($0) }, "\(drawn)")
        #expect(Set(drawn).count > 1, "\(drawn)")
        #expect(try gaps(seed: 1) == drawn)
    }

    /// Message latency and scheduler overhead add up along the path of one task.
    @Test func messageLatencyAndOverhead() throws {
        let (simulation, client) = cluster([WorkerSetup(name: "a")]) {
            $0.clientLatency = 2 * millisecond
            $0.workerLatency = millisecond
            $0.schedulerOverhead = 50_000
        }
        let future = client.submit("job", options: taking(second)) { 1 }
        #expect(try future.result() == 1)
        // client→scheduler 2 ms, +50 µs handling, →worker 1 ms; 1 s; worker→scheduler 1 ms,
        // +50 µs, →client 2 ms.
        #expect(simulation.starts(of: future.key) == [3 * millisecond + 50_000])
        #expect(simulation.now == second + 6 * millisecond + 100_000)
    }

    @Test func aSlowWorkerTakesLonger() throws {
        let (simulation, client) = cluster(
            [WorkerSetup(name: "a", speed: 2)],
            faults: [.slow(worker: "a", factor: 4, from: 5 * second, until: 10 * second)])
        let early = client.submit("early", options: taking(2 * second)) { 1 }
        #expect(try early.result() == 1)
        #expect(simulation.now == second)
        simulation.run(until: 6 * second)
        let late = client.submit("late", options: taking(2 * second)) { 1 }
        #expect(try late.result() == 1)
        #expect(simulation.now == 6 * second + 4 * second)
    }

    @Test func aPartitionHoldsMessagesUntilItEnds() throws {
        let (simulation, client) = cluster(
            [WorkerSetup(name: "a")],
            faults: [.partition(.scheduler, .worker("a"), from: 0, until: 3 * second)])
        let future = client.submit("job", options: taking(second)) { 1 }
        #expect(try future.result() == 1)
        #expect(simulation.starts(of: future.key) == [3 * second])
    }

    @Test func aDelayedLinkAddsItsDelay() throws {
        let (simulation, client) = cluster(
            [WorkerSetup(name: "a")],
            faults: [.delayLink(.client, .scheduler, by: 40 * millisecond, from: 0, until: second)])
        let future = client.submit("job", options: taking(second)) { 1 }
        #expect(try future.result() == 1)
        #expect(simulation.starts(of: future.key) == [40 * millisecond])
    }

    /// A hold delays the first matching message (or every one, with `all`); messages behind it
    /// on the same link wait too.
    @Test func holdsDelayMatchingMessages() throws {
        func starts(all: Bool) throws -> [Nanoseconds] {
            let (simulation, client) = cluster(
                [WorkerSetup(name: "a")],
                faults: [
                    .hold(Hold(message: .compute, to: .worker("a"), by: 40 * millisecond, all: all))
                ])
            let first = client.submit("first", options: taking(second, key: "first")) { 1 }
            _ = try first.result()
            let next = client.submit("next", options: taking(second, key: "next")) { 2 }
            _ = try next.result()
            return simulation.starts(of: "first") + simulation.starts(of: "next")
        }
        #expect(try starts(all: false) == [40 * millisecond, 40 * millisecond + second])
        #expect(
            try starts(all: true) == [
                40 * millisecond, 40 * millisecond + second + 40 * millisecond,
            ])
    }

    /// A task no worker can run is a hang, named; waiting for it fails instead of spinning.
    @Test func hangsAreReportedWithTheStuckTasks() {
        let (simulation, client) = cluster()
        let stuck = client.submit("stuck", options: taking(second, workers: ["nowhere"])) { 1 }
        #expect(throws: TimeoutError.self) { try stuck.result() }
        guard case .hang(_, let tasks)? = simulation.failure else {
            Issue.record("no hang reported: \(String(describing: simulation.failure))")
            return
        }
        #expect(tasks == ["\(stuck.key) (no-worker)"])
    }

    /// Steal versus finish: over many seeds, with latency between scheduler and workers, steal
    /// requests cross completions; every run still computes every result.
    @Test func stealVersusFinish() throws {
        var crossings = 0
        for seed in UInt64(1)...20 {
            // Everything lands on a; b joins at once and steals.
            let (simulation, client) = cluster(
                [WorkerSetup(name: "a")],
                faults: [.add(WorkerSetup(name: "b", threads: 2), at: millisecond)],
                seed: seed,
                policy: "work-stealing"
            ) {
                $0.workerLatency = 3 * millisecond
                $0.scheduler.stealInterval = 10 * millisecond
                $0.scheduler.workerSaturation = .infinity
            }
            var options = taking(0)
            options.model.duration = .exponential(mean: 20 * millisecond)
            let futures = client.map("job", Array(0..<40), options: options) { $0 }
            #expect(try client.gather(futures) == Array(0..<40), "seed \(seed)")
            #expect(simulation.failure == nil, "seed \(seed)")
            let notes = simulation.notes()
            #expect(notes.contains(.stealConfirmed), "seed \(seed): b never stole")
            crossings += notes.filter { $0 == .stealAlreadyAborted || $0 == .stealRefused }.count
        }
        #expect(crossings > 0, "no steal ever crossed a completion")
    }

    /// The same program in another process gives the same trace hash.
    @Test func sameProgramSameTraceInAnotherProcess() async {
        let expected = Self.traceHash(seed: 3)
        #expect(Self.traceHash(seed: 3) == expected)
        #expect(Self.traceHash(seed: 4) != expected)
        await #expect(processExitsWith: .success) { [expected = expected as String] in
            exit(Self.traceHash(seed: 3) == expected ? EXIT_SUCCESS : EXIT_FAILURE)
        }
    }

    static func traceHash(seed: UInt64) -> String {
        let (simulation, client) = cluster(
            [WorkerSetup(name: "a"), WorkerSetup(name: "b", threads: 2)],
            faults: [
                .kill(worker: "a", at: 30 * millisecond),
                .failRandomly(probability: 0.1, error: "Flaky"),
            ],
            seed: seed, policy: "work-stealing"
        ) {
            $0.workerLatency = millisecond
            $0.scheduler.stealInterval = 5 * millisecond
        }
        var options = taking(0, retries: 3)
        options.model.duration = .lognormal(mu: -4, sigma: 1)
        let roots = client.map("load", Array(0..<30), options: options) { $0 }
        let total = client.submit("total", roots.map { $0.key }.count) { $0 }
        _ = try? client.gather(roots + [total], errors: .skip)
        simulation.runToQuiescence()
        return simulation.trace.hash
    }

    @Test func traceLinesReadable() throws {
        let (simulation, client) = cluster()
        let future = client.submit("job", options: taking(second, key: "job")) { 1 }
        _ = try future.result()
        let lines = simulation.traceLines()
        #expect(lines.contains("0 scheduler job - released→waiting 0"))
        #expect(lines.contains { $0.hasPrefix("1000000000 executed job a ok") })
    }

    /// Client code scheduled at virtual times runs at those times, each once, also when one
    /// schedules another while others wait.
    @Test func scheduledActionsRunEachAtItsTime() {
        let (simulation, _) = cluster()
        var ran: [(String, Nanoseconds)] = []
        func note(_ name: String) { ran.append((name, simulation.now)) }
        simulation.schedule(at: 10) {
            note("a")
            simulation.schedule(at: 15) { note("d") }
        }
        simulation.schedule(at: 20) { note("b") }
        simulation.schedule(at: 30) { note("c") }
        simulation.runToQuiescence()
        #expect(ran.map(\.0) == ["a", "d", "b", "c"])
        #expect(ran.map(\.1) == [10, 15, 20, 30])
    }
}

/// Workers `a` and `b` on 1 GB/s links with 1 ms latency (and `connecting` to open a
/// connection), without batching, for transfer times computed by hand.
private func gigabitCluster(connecting: Nanoseconds = 0) -> (SimulatedCluster, Client) {
    cluster {
        $0.network = NetworkModel(
            latency: millisecond, bandwidth: 1_000_000_000, connectLatency: connecting)
        $0.batching = .none
    }
}

/// Options for an instant task on `worker` whose result is `bytes` long.
private func producing(_ bytes: Int64, on worker: String) -> TaskOptions {
    var options = taking(0, workers: [worker])
    options.model.outputSize = bytes
    return options
}
