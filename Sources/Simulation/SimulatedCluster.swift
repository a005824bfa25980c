import Cluster
import Futures
import Scheduling

/// A cluster simulated by discrete events on a virtual clock, deterministic from its seed.
///
/// The real ``Scheduler`` and a real ``WorkerStateMachine`` per worker make every decision;
/// the simulation adds only time and I/O: messages travel with latency over first-in
/// first-out links, executions take their modelled time (their closures still run, for their
/// values), transfers take latency plus size over bandwidth, and faults happen when told.
/// Blocking calls on its futures advance virtual time instead of blocking a thread.
///
/// A simulated cluster and its clients are driven from one thread.
public final class SimulatedCluster: ClusterBackend, @unchecked Sendable {
    public let configuration: SimulationConfiguration
    /// The cluster itself: what this simulation drives.
    public private(set) var core: ClusterCore<SimulatedCluster>!
    public var scheduler: Scheduler { core.scheduler }
    /// The virtual time.
    public internal(set) var now: Nanoseconds = 0
    public internal(set) var trace: Trace
    /// Why the run stopped early, if it did.
    public internal(set) var failure: RunFailure?
    public private(set) var eventsProcessed = 0
    private var strategy: SimulationWaitStrategy!
    /// What the wait strategy reaches the cluster through (see ``SimulationWaitStrategy``).
    private(set) lazy var handle = ClusterHandle(self)
    public var waitStrategy: any WaitStrategy { strategy }

    var queue = TimeQueue()
    /// The queued cluster events, by slot.
    var events = Slots<ClusterEvent>()
    /// Client code waiting for its time, by slot.
    var callbacks = Slots<() -> Void>()
    var nextSequence: UInt64 = 0
    /// The slot of the scheduler's next balancing tick when the last one changed nothing and
    /// nothing else was pending (see ``isQuiescent``); cleared by any event.
    var idleTick: Int32?

    var ties: SeededGenerator
    /// Whether ties are shuffled yet: the workers there at the start join in order, before
    /// anything else happens, as a cluster is up before its client submits.
    var shufflesTies = false
    /// PCT ordering of ties: each endpoint's priority (drawn when first seen), the events at
    /// which the endpoint served drops below all others, and the lowest priority given so far.
    var endpointPriorities: [Int32: UInt32] = [:]
    var changePoints: [Int] = []
    var lowestPriority = UInt32.max

    /// Hears of every trace record as it is recorded.
    let observer: ((TraceRecord) -> Void)?

    /// A cluster with `workers` joined at time zero and `faults` scheduled; `observer` hears
    /// of every trace record as it is recorded (kept or not).
    public init(
        configuration: SimulationConfiguration = SimulationConfiguration(),
        workers specs: [WorkerSetup], faults: [Fault] = [],
        observer: ((TraceRecord) -> Void)? = nil
    ) {
        self.configuration = configuration
        self.observer = observer
        trace = Trace(
            keepsRecords: configuration.keepsTrace,
            expectedRecords: configuration.expectedTraceRecords)
        ties = SeededGenerator(seed: configuration.cluster.seed).split(.ties)
        let perturbation = configuration.perturbation
        core = ClusterCore(
            settings: configuration.cluster,
            model: DriverModel(
                schedulerOverhead: configuration.schedulerOverhead,
                drawsJitter: perturbation.jittersLatency,
                spacesLinkArrivals: perturbation.shufflesTies),
            faults: faults, driver: self)
        strategy = SimulationWaitStrategy(cluster: self)
        for spec in specs { core.join(spec) }
        shufflesTies = perturbation.shufflesTies
        if let count = perturbation.pctChangePoints {
            // Change points fall among the events a run of this size is expected to have.
            let horizon = UInt64(max(configuration.expectedTraceRecords / 2, 1_000))
            changePoints = (0..<count).map { _ in Int(ties.next() % horizon) }.sorted()
        }
        core.scheduleTimedFaults()
    }

    // MARK: ClusterBackend

    public var taskKeys: SharedTaskKeys { core.taskKeys }

    public func connect(_ receiver: any ClientReceiver) -> ClientID { core.connect(receiver) }

    public func send(_ event: SchedulerEvent, bodies: BodyBatch, from client: ClientID) {
        record(TraceRecord(time: now, kind: .clientSent, from: event.kindCode))
        core.send(event, bodies: bodies, from: client)
    }

    /// Joins the client's release sent at this instant, if one is still on its way.
    public func release(_ task: TaskID, from client: ClientID) {
        if core.joinsOpenRelease(task, from: client) { return }
        send(.release(client: client, tasks: [task]), bodies: [], from: client)
    }

    public func error(of failure: TaskFailure) -> (any Error)? { core.error(of: failure) }

    public func freshToken() -> String { core.freshToken() }

    // MARK: Driving the clock

    /// Runs `action` (client code, say) when virtual time reaches `time`.
    public func schedule(at time: Nanoseconds, _ action: @escaping () -> Void) {
        let sequence = nextTieBreaker(endpoint: environment)
        queue.insert(
            SimulatedEvent(
                time: max(time, now), sequence: sequence, parked: .action(callbacks.park(action))
            ))
    }

    /// Runs the events due before `time` and those scheduled for it so far, then returns at
    /// that moment; false if the run stopped first.
    public func sleep(until time: Nanoseconds) -> Bool {
        var reached = false
        schedule(at: max(time, now)) { reached = true }
        return advance(until: nil) { reached }
    }

    /// Runs events until none are left; always quiet then (`failure` says whether it went
    /// well).
    public func waitUntilQuiet(timeout: Duration? = nil) -> Bool {
        runToQuiescence()
        return true
    }

    /// Processes every event up to `time`, then sets the clock to it.
    public func run(until time: Nanoseconds) {
        let core = core!
        while failure == nil, let next = queue.min, next.time <= time { step(core) }
        now = max(now, time)
    }

    /// Processes events until none are left; then reports a hang if tasks someone wants
    /// were left unfinished.
    @discardableResult
    public func runToQuiescence() -> RunFailure? {
        let core = core!
        while failure == nil, !isQuiescent { step(core) }
        if failure == nil { checkQuiescentRun() }
        return failure
    }

    /// Processes events until `condition` holds, the deadline passes or nothing is left;
    /// whether `condition` holds.
    func advance(until deadline: Nanoseconds?, while condition: () -> Bool) -> Bool {
        let core = core!
        while !condition() {
            guard failure == nil, deadline != nil || !isQuiescent, let next = queue.min else {
                if failure == nil {
                    if let deadline { now = max(now, deadline) } else { checkQuiescentRun() }
                }
                return condition()
            }
            if let deadline, next.time > deadline {
                now = max(now, deadline)
                return condition()
            }
            step(core)
        }
        return true
    }

    /// Whether nothing is left to happen: no event, or only the scheduler's next balancing
    /// tick after one that changed nothing, with nothing else happening since (that tick
    /// would find the same state; a hang would otherwise tick forever).
    var isQuiescent: Bool {
        guard let next = queue.min else { return true }
        guard queue.count == 1, let idleTick else { return false }
        return next.parked == .event(idleTick)
    }

    /// Nothing is left to happen: the scheduler's record of the data must match the workers'
    /// (when invariants are checked), a cycle the cluster stopped is a livelock, and tasks
    /// someone wants that did not finish are a hang.
    private func checkQuiescentRun() {
        if configuration.checksInvariants { checkDataAgreement() }
        guard failure == nil else { return }
        if let reason = core.livelock {
            failure = .stopped(time: now, reason: "livelock: \(reason)")
            return
        }
        let stuck =
            scheduler.unfinishedTasks + scheduler.unsettledFutures(of: core.connectedClients)
        if !stuck.isEmpty { failure = .hang(time: now, stuckTasks: stuck) }
    }

    /// With nothing in flight, every result a live worker holds is one the scheduler counts
    /// there, and the other way round: a copy nobody knows of is never freed.
    private func checkDataAgreement() {
        guard failure == nil, isQuiescent else { return }
        failIfViolated(core.dataAgreementViolations())
    }

    // MARK: Events

    /// Queues `event` for `time` and returns the slot that holds it until then.
    @discardableResult
    func schedule(at time: Nanoseconds, _ event: consuming ClusterEvent) -> Int32 {
        let sequence = nextTieBreaker(endpoint: endpoint(of: event))
        let slot = events.park(event)
        queue.insert(SimulatedEvent(time: max(time, now), sequence: sequence, parked: .event(slot)))
        return slot
    }

    /// The next event's tie-breaker: the order events are scheduled, or, when perturbing, a
    /// seeded order (under PCT, by the priority of the endpoint it happens at).
    ///
    /// The endpoint is a plain argument, found even when unused: finding it is a switch,
    /// where an argument made lazily (an autoclosure) would capture, and so copy, the event.
    private func nextTieBreaker(endpoint: Int32) -> UInt64 {
        defer { nextSequence += 1 }
        let order = nextSequence & 0xFFFF_FFFF
        if !shufflesTies { return nextSequence }
        if configuration.perturbation.pctChangePoints != nil {
            return UInt64(UInt32.max - priority(of: endpoint)) << 32 | order
        }
        return ties.next() & ~0xFFFF_FFFF | order
    }

    /// The endpoint code of what happens outside the cluster's processes: faults, the client
    /// timeline, client code.
    private var environment: Int32 { -3 }

    /// The endpoint an event happens at, for PCT ordering: the scheduler, a worker, the
    /// client, or the environment.
    private func endpoint(of event: ClusterEvent) -> Int32 {
        switch event {
        case .toScheduler, .withBodies, .releases, .schedulerTurn: return MessageOnLink.scheduler
        case .streamDeparts(let source, _, _): return source
        case .batch(let events, _):
            // Its messages share a link (to the scheduler, a worker or the client), which the
            // first names. Matched in place: passing the message on would copy it.
            switch events[0] {
            case .toWorker(let worker, _, _): return worker.index
            case .toClient: return MessageOnLink.client
            default: return MessageOnLink.scheduler
            }
        case .toWorker(let worker, _, _): return worker.index
        case .executionBegins(let execution, _, _), .executionEnded(let execution, _),
            .executionHeard(let execution, _), .secede(let execution, _, _):
            return execution.worker.index
        case .fetchEnded(let transfer), .dataArrived(let transfer, _):
            return transfer.worker.index
        case .toClient: return MessageOnLink.client
        case .kill, .join, .windowOpens, .heartbeats: return environment
        }
    }

    /// The endpoint's PCT priority, drawn the first time it is asked for.
    private func priority(of endpoint: Int32) -> UInt32 {
        if let known = endpointPriorities[endpoint] { return known }
        let drawn = UInt32(truncatingIfNeeded: ties.next() >> 1) | 1 << 31
        endpointPriorities[endpoint] = drawn
        return drawn
    }

    /// Handles the next event. The core comes from the caller, which holds it for all its
    /// steps: read from its property here, it would be retained and released for each event.
    private func step(_ core: ClusterCore<SimulatedCluster>) {
        let event = queue.removeMin()
        now = event.time
        eventsProcessed += 1
        idleTick = nil
        switch event.parked {
        case .event(let slot):
            let clusterEvent = events.take(slot)
            // Asked only at a change point: an argument made lazily (an autoclosure) would
            // capture, and so copy, every event.
            if atChangePoint { passChangePoints(serving: endpoint(of: clusterEvent)) }
            core.handle(clusterEvent)
        case .action(let slot):
            let callback = callbacks.take(slot)
            if atChangePoint { passChangePoints(serving: environment) }
            callback()
        }
        if let limit = configuration.eventLimit, eventsProcessed >= limit, failure == nil {
            stop(
                .stopped(
                    time: now, reason: "event limit: the run reached its limit of \(limit) events"))
        }
    }

    /// Whether the event being handled is at a PCT change point.
    private var atChangePoint: Bool {
        guard let next = changePoints.first else { return false }
        return next <= eventsProcessed
    }

    /// At a PCT change point, the endpoint served now drops below every other.
    private func passChangePoints(serving endpoint: Int32) {
        while let next = changePoints.first, next <= eventsProcessed {
            changePoints.removeFirst()
            lowestPriority -= 1
            endpointPriorities[endpoint] = lowestPriority - (1 << 31)
        }
    }

    /// Checks every machine's invariants now (a run that does not check them after every
    /// event can check them once at the end), and, if nothing is in flight, that the
    /// scheduler's record of the data matches the workers'; a violation becomes the run's
    /// failure (in place of a hang found before it).
    public func checkAllInvariants() {
        // A hang found first is checked too: a broken invariant explains it better.
        switch failure {
        case nil, .hang?: break
        default: return
        }
        failIfViolated(core.invariantViolations())
        checkDataAgreement()
    }

    func failIfViolated(_ violations: [String]) {
        guard !violations.isEmpty else { return }
        let recent = scheduler.entries(of: Array(trace.records.suffix(20))).map(\.line)
        stop(.invariant(time: now, violations: violations, recentTrace: recent))
    }

    private func stop(_ failure: RunFailure) {
        self.failure = failure
        // The run stops here: what was still to happen never will, and the client code among
        // it may hold this cluster (through its client), which would then never be freed.
        queue = TimeQueue()
        events.removeAll()
        callbacks.removeAll()
    }
}
