import Scheduling
import Testing

/// The work-stealing protocol and its races (Semantics: Work stealing; Known races, R1 and R3).
@Suite struct StealingTests {
    /// Four one-second tasks all on worker a, and an idle worker b: a balance tick plans steals.
    func setUp() -> (Harness, WorkerID, WorkerID) {
        let h = Harness(policy: WorkStealingPolicy(interval: 100_000_000)) {
            $0.workerSaturation = .infinity
        }
        let a = h.addWorker("a")
        h.submit((0..<4).map { KeyedSpec(key: "job-\($0)", estimatedDuration: 1_000_000_000) })
        // Everything went to a (the only worker); b joins later and is idle.
        let b = h.addWorker("b")
        #expect(h.scheduler.processing(on: a).count == 4)
        return (h, a, b)
    }

    func stealRequests(_ h: Harness) -> [(WorkerID, TaskID, StealID)] {
        h.last.compactMap {
            if case .stealRequest(let worker, let task, let steal) = $0 {
                return (worker, task, steal)
            }
            return nil
        }
    }

    @Test func aBalancingPolicyAsksForTicks() {
        let (h, _, _) = setUp()
        #expect(h.log.contains(.wakeAt(100_000_000)))
    }

    /// A tick that plans a steal changed something; one that only asks for the next tick
    /// did not, and says so in its wake; a wake asked for by any other event is not idle.
    @Test func aTickThatChangedNothingSaysSoInItsWake() throws {
        let (h, a, _) = setUp()
        h.now = 100_000_000
        h.send(.tick)
        #expect(!stealRequests(h).isEmpty)
        #expect(h.last.contains(.wakeAt(200_000_000, idle: false)))
        let (_, task, steal) = try #require(stealRequests(h).first)
        h.send(.stealResponse(task, worker: a, state: .executing, steal: steal))
        #expect(!h.last.contains { if case .wakeAt(_, idle: true) = $0 { true } else { false } })
        let lone = Harness(policy: WorkStealingPolicy(interval: 100_000_000))
        lone.addWorker("a")
        lone.submit("job")
        lone.now = 100_000_000
        lone.send(.tick)
        #expect(lone.last == [.wakeAt(200_000_000, idle: true)])
        lone.finish("job")
        #expect(!lone.last.contains { if case .wakeAt(_, idle: true) = $0 { true } else { false } })
    }

    @Test func confirmedStealMovesTheTaskUnderANewRun() throws {
        let (h, a, b) = setUp()
        h.now = 100_000_000
        h.send(.tick)
        let (victim, task, steal) = try #require(stealRequests(h).first)
        #expect(victim == a)
        let oldRun = h.scheduler.currentRun(of: task)
        h.send(.stealResponse(task, worker: a, state: .ready, steal: steal))
        #expect(h.notes() == [.stealConfirmed])
        #expect(h.scheduler.processingWorker(of: task) == b)
        #expect(h.computes().map(\.worker) == [b])
        #expect(h.scheduler.currentRun(of: task) != oldRun)
        // R3: had the victim run it anyway, its result carries the old run and is refused.
        h.send(.taskFinished(task, worker: a, run: oldRun, outputSize: 1, duration: 1))
        #expect(h.notes() == [.staleRun])
        #expect(h.freedKeys(on: a) == [h.scheduler.key(of: task)])
        #expect(h.scheduler.processingWorker(of: task) == b)
    }

    @Test func stealRefusedWhenTheVictimAlreadyRunsIt() throws {
        let (h, a, _) = setUp()
        h.now = 100_000_000
        h.send(.tick)
        let (_, task, steal) = try #require(stealRequests(h).first)
        h.send(.stealResponse(task, worker: a, state: .executing, steal: steal))
        #expect(h.notes() == [.stealRefused])
        #expect(h.scheduler.processingWorker(of: task) == a)
    }

    /// Steal versus finish: the victim's finish overtakes its steal response; the finish is
    /// taken, and the response finds no steal in flight.
    @Test func stealVersusFinish() throws {
        let (h, a, _) = setUp()
        h.now = 100_000_000
        h.send(.tick)
        let (_, task, steal) = try #require(stealRequests(h).first)
        h.send(
            .taskFinished(
                task, worker: a, run: h.scheduler.currentRun(of: task), outputSize: 1,
                duration: 1))
        #expect(h.scheduler.state(of: task) == .memory)
        #expect(!h.scheduler.hasStealInFlight(task))
        h.send(.stealResponse(task, worker: a, state: .memory, steal: steal))
        #expect(h.notes() == [.stealAlreadyAborted])
        #expect(h.scheduler.state(of: task) == .memory)
    }

    /// R1: a response to an old request for a task that was released and dispatched again is
    /// recognised by its steal id and ignored.
    @Test func staleStealResponse() throws {
        let (h, a, _) = setUp()
        h.now = 100_000_000
        h.send(.tick)
        let (_, task, firstSteal) = try #require(stealRequests(h).first)
        // The task leaves processing (its worker dies) and is dispatched again.
        h.send(.workerRemoved(a, expected: true))
        #expect(h.scheduler.state(of: task) == .processing)
        h.send(.stealResponse(task, worker: a, state: .released, steal: firstSteal))
        #expect(h.notes() == [.stealAlreadyAborted])
        #expect(h.scheduler.state(of: task) == .processing)
    }

    /// A task asked for once is not asked for again in the same run, whatever the answer
    /// (dask takes it out of the stealable set at the request); a confirmed steal dispatches
    /// it anew, on the thief, where it is stealable again.
    @Test func aRefusedTaskIsNotAskedForAgainEveryTick() throws {
        let (h, a, _) = setUp()
        h.now = 100_000_000
        h.send(.tick)
        let first = stealRequests(h)
        let (_, task, steal) = try #require(first.first)
        #expect(!h.scheduler.isStealable(task))
        h.send(.stealResponse(task, worker: a, state: .executing, steal: steal))
        #expect(h.notes() == [.stealRefused])
        var askedAgain = 0
        for tick in 2...10 {
            h.now = Nanoseconds(tick) * 100_000_000
            h.send(.tick)
            askedAgain += stealRequests(h).filter { $0.1 == task }.count
        }
        #expect(askedAgain == 0)
        #expect(!h.scheduler.isStealable(task))
    }

    /// dask's `_can_steal`: tasks that need a resource are stolen, by a thief that supplies
    /// it; loosely restricted tasks by anyone; strictly restricted ones by none but their own.
    @Test func restrictedAndResourceTasksAreStolenByThievesThatMayRunThem() throws {
        let h = Harness(policy: WorkStealingPolicy(interval: 100_000_000)) {
            $0.workerSaturation = .infinity
        }
        let a = h.addWorker("a", resources: ["CPU": 1])
        h.submit(
            (0..<4).map {
                KeyedSpec(key: "cpu-\($0)", resources: ["CPU": 1], estimatedDuration: 1_000_000_000)
            }
                + (0..<4).map {
                    KeyedSpec(
                        key: "loose-\($0)", workers: ["a"], allowOtherWorkers: true,
                        estimatedDuration: 1_000_000_000)
                }
                + (0..<4).map {
                    KeyedSpec(key: "pinned-\($0)", workers: ["a"], estimatedDuration: 1_000_000_000)
                })
        #expect(h.scheduler.processing(on: a).count == 12)
        let bare = h.addWorker("bare", threads: 4)
        let withCPU = h.addWorker("with-cpu", threads: 4, resources: ["CPU": 1])
        h.now = 100_000_000
        h.send(.tick)
        let requests = stealRequests(h)
        let asked = Set(requests.map { h.scheduler.key(of: $0.1).split(separator: "-")[0] })
        #expect(asked == ["cpu", "loose"])
        // Whom each was planned for shows in the confirmed moves.
        for (_, task, steal) in requests {
            h.send(.stealResponse(task, worker: a, state: .ready, steal: steal))
            let thief = try #require(h.scheduler.processingWorker(of: task))
            if h.scheduler.key(of: task).hasPrefix("cpu") { #expect(thief == withCPU) }
            #expect([bare, withCPU].contains(thief))
        }
    }

    @Test func aVictimThatDoesNotKnowTheTaskMakesItReschedule() throws {
        let (h, a, _) = setUp()
        h.now = 100_000_000
        h.send(.tick)
        let (_, task, steal) = try #require(stealRequests(h).first)
        h.send(.stealResponse(task, worker: a, state: nil, steal: steal))
        #expect(h.notes() == [.stealRescheduled])
        #expect(h.scheduler.state(of: task) == .processing)
    }

    @Test func levels() {
        let h = Harness()
        h.addWorker("a")
        h.submit([
            KeyedSpec(key: "root", estimatedDuration: 1_000_000),
            KeyedSpec(key: "cheap", dependencies: ["root"], estimatedDuration: 10_000_000_000),
        ])
        #expect(WorkStealingPolicy.level(of: h.id("root"), in: h.scheduler) == 0)
        // Moving 1 KiB takes ~0.1 s with latency; computing takes 10 s: a low level.
        #expect(WorkStealingPolicy.level(of: h.id("cheap"), in: h.scheduler) == 1)
    }
}
