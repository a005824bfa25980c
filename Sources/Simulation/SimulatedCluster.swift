import Cluster
import DequeModule
import Futures
import HeapModule
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
    public let scheduler: Scheduler
    /// The virtual time.
    public internal(set) var now: Nanoseconds = 0
    public internal(set) var trace: Trace
    /// Why the run stopped early, if it did.
    public internal(set) var failure: RunFailure?
    public private(set) var eventsProcessed = 0
    private var strategy: SimulationWaitStrategy!
    public var waitStrategy: any WaitStrategy { strategy }

    var queue = Heap<SimulatedEvent>()
    /// The queued events' actions, by slot; freed slots are reused.
    var actions: [SimulatedEvent.Action?] = []
    var freeSlots: [Int32] = []
    var nextSequence: UInt64 = 0
    /// Messages that reached the scheduler, in the order it handles them.
    var schedulerInbox = Deque<SchedulerEvent>()
    var schedulerTurnPending = false
    /// The slot of the scheduler's next balancing tick when the last one changed nothing and
    /// nothing else was pending (see ``isQuiescent``); cleared by any event.
    var idleTick: Int32?
    var schedulerFreeAt: Nanoseconds = 0
    /// Added to the send time of messages: the scheduler's overhead while its commands go out.
    var sendDelay: Nanoseconds = 0

    var workers: [VirtualWorker?] = []
    /// Live workers by name; looked up only.
    var workerByName: [String: WorkerID] = [:]
    var membership = Membership()
    var generations = 0
    var clients: [WeakReceiver] = []
    /// Bodies of the graph updates and scatters on their way to the scheduler, in the order
    /// they were sent (which is the order they arrive in: every client's messages share one
    /// ordered link).
    var bodiesInTransit = Deque<[TaskBody]>()
    var bodies = TaskBodies()
    var errorObjects: [UInt64: any Error] = [:]
    /// Executions started, by task index.
    var attempts: [Int] = []
    let faults: [Fault]
    var linkFaults: LinkFaults
    let hasTaskFaults: Bool
    /// Last delivery time per link, so messages on one link stay in order; looked up only.
    var linkLastDelivery: [Link: Nanoseconds] = [:]
    /// The release message a client sent last, while nothing else was sent after it: its
    /// sender, its slot in `actions` and when it was sent.
    var pendingRelease: (client: ClientID, slot: Int32, time: Nanoseconds)?
    /// Client code waiting for its time, by id; looked up only.
    var callbacks: [Int: () -> Void] = [:]
    /// The next callback's id: ids are never reused while one may still be waiting.
    var nextCallback = 0

    var durations: SeededGenerator
    var faultDraws: SeededGenerator
    var tokens: SeededGenerator
    var jitter: SeededGenerator
    var ties: SeededGenerator
    /// Whether ties are shuffled yet: the workers there at the start join in order, before
    /// anything else happens, as a cluster is up before its client submits.
    var shufflesTies = false
    /// PCT ordering of ties: each endpoint's priority (drawn when first seen), the events at
    /// which the endpoint served drops below all others, and the lowest priority given so far.
    var endpointPriorities: [Int32: UInt32] = [:]
    var changePoints: [Int] = []
    var lowestPriority = UInt32.max

    /// The machines the current event changed: only theirs can break an invariant.
    var schedulerTouched = false
    var workerTouched: VirtualWorker?

    var schedulerCommands: [SchedulerCommand] = []
    var workerCommands: [WorkerCommand] = []

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
        let seed = SeededGenerator(seed: configuration.cluster.seed)
        scheduler = configuration.cluster.makeScheduler()

        trace = Trace(
            keepsRecords: configuration.keepsTrace,
            expectedRecords: configuration.expectedTraceRecords)
        durations = seed.split(stream: 2)
        faultDraws = seed.split(stream: 3)
        tokens = seed.split(stream: 5)
        jitter = seed.split(stream: 4)
        ties = seed.split(stream: 6)
        self.faults = faults
        linkFaults = LinkFaults(faults)
        hasTaskFaults = faults.failsTasks
        strategy = SimulationWaitStrategy(cluster: self)
        for spec in specs { join(spec) }
        shufflesTies = configuration.perturbation.shufflesTies
        if let count = configuration.perturbation.pctChangePoints {
            // Change points fall among the events a run of this size is expected to have.
            let horizon = UInt64(max(configuration.expectedTraceRecords / 2, 1_000))
            changePoints = (0..<count).map { _ in Int(ties.next() % horizon) }.sorted()
        }
        for fault in faults.timed {
            switch fault {
            case .kill(let name, let time): schedule(at: time, .kill(name))
            case .join(let spec, let time): schedule(at: time, .join(spec))
            case .window(let code, let name, let start, let end):
                recordWindow(code, worker: name, from: start, until: end)
            }
        }
    }

    /// Marks a fault window in the trace when it opens (reports draw it).
    private func recordWindow(
        _ code: FaultCode, worker name: String?, from start: Nanoseconds, until end: Nanoseconds
    ) {
        schedule(at: start) { [unowned self] in
            record(
                .fault, worker: name.flatMap { workerByName[$0] }, from: code.rawValue,
                detail: end - start)
        }
    }

    // MARK: ClusterBackend

    public func connect(_ receiver: any ClientReceiver) -> ClientID {
        clients.append(WeakReceiver(receiver))
        return ClientID(clients.count - 1)
    }

    public func send(_ event: SchedulerEvent, bodies: [TaskBody], from client: ClientID) {
        if event.bringsBodies { bodiesInTransit.append(bodies) }
        if case .release(_, let keys) = event, joinPendingRelease(of: client, keys) { return }
        record(.clientSent, from: event.kindCode)
        let slot = deliver(
            .toScheduler(event), from: clientCode, to: schedulerCode,
            latency: configuration.cluster.clientLatency
                + configuration.cluster.network.streamingTime(event.dataSize))
        pendingRelease = if case .release = event { (client, slot, now) } else { nil }
    }

    /// Adds `keys` to the release the client sent last, if it sent it at this instant and it
    /// is still on its way: releases made at once travel as one message, as dask's batched
    /// stream carries them (dropping a million futures sends one message, not a million).
    private func joinPendingRelease(of client: ClientID, _ keys: [String]) -> Bool {
        guard let pending = pendingRelease, pending.client == client, pending.time == now,
            case .toScheduler(.release(let sender, var released))? = actions[Int(pending.slot)],
            sender == client
        else { return false }
        // Out of the table first, so the list grows in place.
        actions[Int(pending.slot)] = nil
        released.append(contentsOf: keys)
        actions[Int(pending.slot)] = .toScheduler(.release(client: client, keys: released))
        return true
    }

    /// The value of a task in memory on a live worker, if any.
    func value(of task: TaskID) -> (any Sendable)? {
        for holder in scheduler.replicas(of: task) {
            if let worker = workers[holder.int], worker.alive, let value = worker.store[task] {
                return value
            }
        }
        return nil
    }

    public func error(of failure: TaskFailure) -> (any Error)? {
        failure.origin == 0 ? nil : errorObjects[failure.origin]
    }

    public func freshToken() -> String { tokens.keyToken() }

    // MARK: Driving the clock

    /// Runs `action` (client code, say) when virtual time reaches `time`.
    public func schedule(at time: Nanoseconds, _ action: @escaping () -> Void) {
        let id = nextCallback
        nextCallback += 1
        callbacks[id] = action
        schedule(at: time, .callback(id))
    }

    /// Processes every event up to `time`, then sets the clock to it.
    public func run(until time: Nanoseconds) {
        while failure == nil, let next = queue.min, next.time <= time { step() }
        now = max(now, time)
    }

    /// Processes events until none are left; then reports a hang if tasks someone wants
    /// were left unfinished.
    @discardableResult
    public func runToQuiescence() -> RunFailure? {
        while failure == nil, !isQuiescent { step() }
        if failure == nil { checkQuiescentRun() }
        return failure
    }

    /// Processes events until `condition` holds, the deadline passes or nothing is left;
    /// whether `condition` holds.
    func advance(until deadline: Nanoseconds?, while condition: () -> Bool) -> Bool {
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
            step()
        }
        return true
    }

    /// Whether nothing is left to happen: no event, or only the scheduler's next balancing
    /// tick after one that changed nothing, with nothing else happening since (that tick
    /// would find the same state; a hang would otherwise tick forever).
    var isQuiescent: Bool {
        queue.isEmpty || (queue.count == 1 && queue.min!.slot == idleTick)
    }

    /// Nothing is left to happen: the scheduler's record of the data must match the workers'
    /// (when invariants are checked), and tasks someone wants that did not finish are a hang.
    private func checkQuiescentRun() {
        if configuration.checksInvariants { checkDataAgreement() }
        guard failure == nil else { return }
        let stuck = scheduler.unfinishedTasks
        if !stuck.isEmpty { failure = .hang(time: now, stuckTasks: stuck) }
    }

    /// With nothing in flight, every result a live worker holds is one the scheduler counts
    /// there, and the other way round: a copy nobody knows of is never freed.
    private func checkDataAgreement() {
        guard failure == nil, isQuiescent else { return }
        let live = workers.compactMap { $0 }.filter(\.alive).map(\.machine)
        failIfViolated(scheduler.dataAgreementViolations(with: live))
    }

    // MARK: Events

    /// Queues `action` for `time` and returns the table slot that holds it until then. Ties
    /// break by the order events are scheduled, or, when perturbing, in a seeded order.
    @discardableResult
    func schedule(at time: Nanoseconds, _ action: SimulatedEvent.Action) -> Int32 {
        let order = nextSequence & 0xFFFF_FFFF
        let sequence: UInt64
        if !shufflesTies {
            sequence = nextSequence
        } else if configuration.perturbation.pctChangePoints != nil {
            sequence = UInt64(UInt32.max - priority(of: endpoint(of: action))) << 32 | order
        } else {
            sequence = ties.next() & ~0xFFFF_FFFF | order
        }
        let slot: Int32
        if let free = freeSlots.popLast() {
            slot = free
            actions[Int(free)] = action
        } else {
            slot = Int32(actions.count)
            actions.append(action)
        }
        queue.insert(SimulatedEvent(time: max(time, now), sequence: sequence, slot: slot))
        nextSequence += 1
        return slot
    }

    /// The endpoint an event happens at, for PCT ordering: the scheduler, a worker, the
    /// client, or the environment (faults, client timeline).
    private func endpoint(of action: SimulatedEvent.Action) -> Int32 {
        switch action {
        case .toScheduler, .schedulerTurn: schedulerCode
        case .toWorker(let worker, _, _), .executionEnded(let worker, _, _, _),
            .fetchEnded(let worker, _, _, _, _):
            worker.index
        case .toClient: clientCode
        case .kill, .join, .callback: -3
        }
    }

    /// The endpoint's PCT priority, drawn the first time it is asked for.
    private func priority(of endpoint: Int32) -> UInt32 {
        if let known = endpointPriorities[endpoint] { return known }
        let drawn = UInt32(truncatingIfNeeded: ties.next() >> 1) | 1 << 31
        endpointPriorities[endpoint] = drawn
        return drawn
    }

    private func step() {
        let event = queue.removeMin()
        now = event.time
        eventsProcessed += 1
        idleTick = nil
        let action = actions[Int(event.slot)].take()!
        freeSlots.append(event.slot)
        while let next = changePoints.first, next <= eventsProcessed {
            // A PCT change point: the endpoint served now drops below every other.
            changePoints.removeFirst()
            lowestPriority -= 1
            endpointPriorities[endpoint(of: action)] = lowestPriority - (1 << 31)
        }
        switch action {
        case .toScheduler(let message):
            schedulerInbox.append(message)
            requestSchedulerTurn()
        case .schedulerTurn:
            schedulerTurn()
        case .toWorker(let worker, let generation, let message):
            guard let target = live(worker, generation) else { return }
            record(.delivered, worker: worker, from: message.kindCode, to: 1)
            if case .updateData(let task, _, _) = message {
                target.store[task] = bodies.scatteredValue(of: task, in: scheduler)
            }
            workerHandles(target, message)
        case .toClient(let client, let key, let task, let news):
            record(.futureStatus, task: task, from: news.code)
            let value: (any Sendable)? =
                if case .finished = news { value(of: task) } else { nil }
            clients[Int(client.index)].receiver?.receive(
                key: key, task: task, news: news, value: value)
        case .executionEnded(let worker, let generation, let task, let outcome):
            guard let target = live(worker, generation) else { return }
            executionEnded(target, task, outcome)
        case .fetchEnded(let worker, let generation, let task, let peer, let size):
            guard let target = live(worker, generation) else { return }
            fetchEnded(target, task, from: peer, size: size)
        case .kill(let name):
            kill(name)
        case .join(let spec):
            join(spec)
        case .callback(let id):
            callbacks.removeValue(forKey: id)?()
        }
        if configuration.cluster.checksInvariants { checkInvariants() }
        schedulerTouched = false
        workerTouched = nil
    }

    func live(_ worker: WorkerID, _ generation: Int) -> VirtualWorker? {
        guard let target = workers[worker.int], target.alive, target.generation == generation
        else { return nil }
        return target
    }

    private func requestSchedulerTurn() {
        guard !schedulerTurnPending else { return }
        schedulerTurnPending = true
        schedule(at: max(now, schedulerFreeAt), .schedulerTurn)
    }

    private func schedulerTurn() {
        schedulerTurnPending = false
        guard let message = schedulerInbox.popFirst() else { return }
        record(.delivered, from: message.kindCode, to: 0)
        schedulerCommands.clearForReuse()
        scheduler.handle(message, at: now, into: &schedulerCommands)
        if message.bringsBodies {
            bodies.file(bodiesInTransit.removeFirst(), with: message, in: scheduler)
        }
        schedulerTouched = true
        schedulerFreeAt = now + configuration.schedulerOverhead
        sendDelay = configuration.schedulerOverhead
        let changedNothing =
            scheduler.lastTickChangedNothing && queue.isEmpty && schedulerInbox.isEmpty
        route(schedulerCommands)
        sendDelay = 0
        if changedNothing, queue.count == 1 { idleTick = queue.min!.slot }
        if !schedulerInbox.isEmpty { requestSchedulerTurn() }
    }

    /// Checks every machine's invariants now (a run that does not check them after every
    /// event can check them once at the end), and, if nothing is in flight, that the
    /// scheduler's record of the data matches the workers'; a violation becomes the run's
    /// failure.
    public func checkAllInvariants() {
        guard failure == nil else { return }
        var violations = scheduler.invariantViolations()
        for case let worker? in workers where worker.alive {
            violations += worker.machine.invariantViolations().map { "\(worker.spec.name): \($0)" }
        }
        failIfViolated(violations)
        checkDataAgreement()
    }

    /// Checks what the event changed (the rest cannot have broken anything): the scheduler's
    /// and the touched worker's records it wrote.
    func checkInvariants() {
        var violations = schedulerTouched ? scheduler.changedInvariantViolations() : []
        if let worker = workerTouched, worker.alive {
            violations += worker.machine.changedInvariantViolations().map {
                "\(worker.spec.name): \($0)"
            }
        }
        failIfViolated(violations)
    }

    private func failIfViolated(_ violations: [String]) {
        guard !violations.isEmpty else { return }
        let recent = trace.records.suffix(20).map(scheduler.describe)
        failure = .invariant(time: now, violations: violations, recentTrace: recent)
        // The run stops here: what was still to happen never will, and the client code among
        // it may hold this cluster (through its client), which would then never be freed.
        queue = Heap()
        actions.removeAll()
        freeSlots.removeAll()
        callbacks.removeAll()
    }
}

extension Array {
    /// Empties a buffer reused from event to event, keeping its storage unless one burst (the
    /// commands for a graph of a million tasks) made it large enough to matter.
    mutating func clearForReuse() {
        if capacity > 4096 { self = [] } else { removeAll(keepingCapacity: true) }
    }
}

/// A directed link between two endpoints, by code (client −2, scheduler −1, worker id).
struct Link: Hashable {
    var from: Int32
    var to: Int32

    /// Every message looks its link up: see ``TaskID/_rawHashValue(seed:)``.
    func _rawHashValue(seed: Int) -> Int {
        mixedHash(Int(from) << 32 | Int(UInt32(bitPattern: to)), seed: seed)
    }
}

let clientCode: Int32 = -2
let schedulerCode: Int32 = -1
