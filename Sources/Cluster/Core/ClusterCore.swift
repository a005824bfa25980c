import DequeModule
@_spi(Locking) import Futures
import Scheduling

/// The cluster, written once for every backend: the scheduler and the worker processes'
/// state machines, the messages between them and the client (latency, link faults, order),
/// membership, executions and transfers, attempts, error objects, the random streams and what
/// faults do. A ``ClusterDriver`` runs it: it hands events back at their time, runs bodies
/// and copies data.
///
/// Everything but ``connect(_:)``, ``keep(_:)``, ``error(of:)`` and ``freshToken()`` is
/// called from the driver's control context only.
public final class ClusterCore<Driver: ClusterDriver> {
    public let settings: ClusterSettings
    public let model: DriverModel
    public let scheduler: Scheduler
    /// The driver owns the core and outlives it: held unmanaged, and borrowed for every
    /// question the core asks it (``withDriver(_:)``, ``now``). A reference the compiler
    /// copies, strong or unowned, is retained and released around each of them, on an object
    /// that real mode's other threads retain too.
    private let unmanagedDriver: Unmanaged<Driver>

    /// Runs `body` with the driver borrowed, not retained.
    @inline(__always)
    func withDriver<Result>(_ body: (Driver) throws -> Result) rethrows -> Result {
        try unmanagedDriver._withUnsafeGuaranteedRef(body)
    }

    /// The driver's clock.
    var now: Nanoseconds { withDriver { $0.now } }

    /// Has the driver hand `event` back at `time` (see ``ClusterDriver``).
    func schedule(_ event: consuming ClusterEvent, at time: Nanoseconds, keepsBusy: Bool) {
        // A closure cannot consume what it captures: the event goes in an optional the closure
        // takes it out of, so it is moved to the driver, not copied.
        var event: ClusterEvent? = consume event
        withDriver { $0.schedule(event.take()!, at: time, keepsBusy: keepsBusy) }
    }

    public internal(set) var workers: [ClusterWorker?] = []
    /// Live workers by name; looked up only.
    var workerByName: [String: WorkerID] = [:]
    var membership = Membership()
    var generations = 0
    /// Scheduler and worker events handled.
    public internal(set) var eventsHandled = 0
    /// Why the run is a livelock, once it is one (see ``restart(_:)``).
    public internal(set) var livelock: String?
    var restartsSinceProgress = 0

    /// State clients reach from their own threads.
    public let taskKeys = SharedTaskKeys()
    let clients = Locked<[WeakReceiver]>([])
    let errorObjects = Locked<[UInt64: any Error]>([:])
    let tokens: Locked<SeededGenerator>

    var durations: SeededGenerator
    var handoffs: SeededGenerator
    var startGaps: SeededGenerator
    var faultDraws: SeededGenerator
    var jitter: SeededGenerator

    var bodies = TaskBodies()
    /// The bodies that came with the message the scheduler is handling, until its graph is
    /// accepted (moved in and out, never copied: a copy retains every body in it).
    var bodiesOfMessage: BodyBatch?
    /// The release sent last, while nothing was sent after it.
    var openRelease: ReleaseBatch?
    /// Executions started, by task index.
    var attempts: [UInt32] = []
    /// Heartbeat rounds still to send since the last bandwidth a worker measured.
    var heartbeatRoundsLeft = 0
    var heartbeatScheduled = false
    let faults: [Fault]
    var linkFaults: LinkFaults
    let hasTaskFaults: Bool
    /// Each link's order and batched stream.
    var links = LinkTable()
    /// The batches sent so far.
    var batchesSent = 0
    /// Streams that were idle when the current event or client call sent on them, with the
    /// latency of their link and the time they leave: they leave once it is done.
    var departing: [(link: Link, latency: Nanoseconds, time: Nanoseconds)] = []
    /// The streams ``sendDeparting()`` is sending, an empty list between its calls.
    var leaving: [(link: Link, latency: Nanoseconds, time: Nanoseconds)] = []
    /// Whether an event is being handled (client code may run inside it, and send).
    var handling = false
    /// The batch whose messages are being handled (0: a message that travelled alone).
    var arrivingBatch = 0

    /// What reached the scheduler while it was busy, in the order it takes it: the messages
    /// (with the bodies they bring), and how many of them each delivery brought in which batch.
    var schedulerInbox = Deque<SchedulerMessage>()
    var inboxDeliveries = Deque<(count: Int, batch: Int)>()
    var schedulerTurnPending = false
    var schedulerFreeAt: Nanoseconds = 0
    /// Added to the send time of messages: the scheduler's overhead while its commands go out.
    var sendDelay: Nanoseconds = 0

    var schedulerCommands: [SchedulerCommand] = []
    /// Command lists of workers' events, kept for the next ones: a worker's commands can make
    /// another worker event happen before they are all carried out, and that event needs a
    /// list of its own.
    var spareWorkerCommands: [[WorkerCommand]] = []
    /// The machines the current event changed: only theirs can break an invariant.
    var schedulerTouched = false
    var workerTouched: ClusterWorker?

    /// A cluster of `settings` with `faults`, run by `driver`; workers join with
    /// ``join(_:)`` and timed faults start with ``scheduleTimedFaults()``.
    public init(
        settings: ClusterSettings, model: DriverModel, faults: [Fault], driver: Driver
    ) {
        self.settings = settings
        self.model = model
        unmanagedDriver = Unmanaged.passUnretained(driver)
        // The clients' key table holds every key the scheduler hears of: one copy of each.
        scheduler = settings.makeScheduler(keyLookup: taskKeys)
        let seed = SeededGenerator(seed: settings.seed)
        durations = seed.split(.durations)
        handoffs = seed.split(.handoffs)
        startGaps = seed.split(.startGaps)
        faultDraws = seed.split(.faultDraws)
        jitter = seed.split(.jitter)
        tokens = Locked(seed.split(.tokens))
        self.faults = faults
        linkFaults = LinkFaults(faults)
        hasTaskFaults = faults.failsTasks
    }

    // MARK: Clients (any thread)

    /// Registers a client; its reports go to `receiver` from now on.
    public func connect(_ receiver: any ClientReceiver) -> ClientID {
        clients.withLock { clients in
            clients.append(WeakReceiver(receiver))
            return ClientID(clients.count - 1)
        }
    }

    /// The clients connected and still alive.
    public var connectedClients: [any ClientReceiver] {
        clients.withLock { $0.compactMap(\.receiver) }
    }

    /// Keeps the error a body threw, for the client's future, and names it in the failure.
    public func keep(_ error: any Error) -> TaskFailure {
        let origin = errorObjects.withLock { objects in
            let origin = UInt64(objects.count + 1)
            objects[origin] = error
            return origin
        }
        return TaskFailure(kind: "\(type(of: error))", message: "\(error)", origin: origin)
    }

    /// The error object a task's body threw, when the failure came from one.
    public func error(of failure: TaskFailure) -> (any Error)? {
        failure.origin == 0 ? nil : errorObjects.withLock { $0[failure.origin] }
    }

    /// A fresh key suffix for an impure task, from the seeded stream.
    public func freshToken() -> String { tokens.withLock { $0.keyToken() } }

    // MARK: Client messages (control context)

    /// Sends a client's message, sent at model time `sentAt` (now by default), to the
    /// scheduler; `bodies` go with a graph update or a scatter. A release made at the
    /// instant of the client's previous one, with nothing sent between, joins it.
    public func send(
        _ event: consuming SchedulerEvent, bodies: consuming BodyBatch, from client: ClientID,
        sentAt: Nanoseconds? = nil
    ) {
        let sent = sentAt ?? now
        let interval = settings.batching.clientToScheduler
        // Read before the event goes into the message (after, it would be copied to be read).
        let latency = settings.clientLatency.saturatingAdd(
            settings.network.streamingTime(event.dataSize))
        var rpc = false
        let message: ClusterEvent
        switch event {
        case .release(_, let tasks):
            let batch = ReleaseBatch(client: client, tasks: tasks, sentAt: sent)
            openRelease = batch
            message = .releases(batch)
        case .scatter:
            // An RPC of its own, with the data: not on the batched stream (but after what
            // waits on it; see `deliver`).
            openRelease = nil
            rpc = true
            message = .withBodies(event, bodies)
        default:
            openRelease = nil
            message = event.bringsBodies ? .withBodies(event, bodies) : .toScheduler(event)
        }
        deliver(
            message, from: MessageOnLink.client, to: MessageOnLink.scheduler, latency: latency,
            sentAt: sent, interval: interval, rpc: rpc)
    }

    /// Adds `task` to the release its client sent last, if that one was sent at this instant
    /// with nothing after it and is still on its way; whether it did.
    public func joinsOpenRelease(_ task: TaskID, from client: ClientID) -> Bool {
        guard let open = openRelease, open.client == client, open.sentAt == now,
            !open.delivered
        else { return false }
        open.tasks.append(task)
        return true
    }

    // MARK: Events

    /// Handles one event the driver hands back at its time; then checks the invariants of
    /// the machines it changed, when the settings ask for it.
    public func handle(_ event: consuming ClusterEvent) {
        let outer = !handling
        handling = true
        arrives(event)
        if outer {
            handling = false
            sendDeparting()
        }
        if settings.checksInvariants { checkTouchedInvariants() }
        schedulerTouched = false
        workerTouched = nil
    }

    /// What an event does (of a batch, each of its messages in turn). Taken, not borrowed:
    /// a batch's messages are moved out of it rather than copied.
    private func arrives(_ event: consuming ClusterEvent) {
        switch event {
        case .toScheduler, .withBodies, .releases:
            schedulerReceives(1, batch: 0) { _ in schedulerMessage(event) }
        case .schedulerTurn:
            schedulerTurn()
        case .toWorker(let worker, let generation, let message):
            guard let target = live(worker, generation) else { break }
            workerReceives(target, message)
        case .streamDeparts(let source, let destination, let latency):
            departs(on: Link(from: source, to: destination), latency: latency, at: now)
        case .batch:
            arrivesTogether(event)
        case .toClient(let client, let task, let news):
            record(.futureStatus, task: task, from: news.code, detail: Int64(arrivingBatch))
            let value: (any Sendable)? =
                if case .finished = news { value(of: task) } else { nil }
            clients.withLock { $0[Int(client.index)].receiver }?.receive(
                task: task, news: news, value: value)
        case .secede(let execution, let attempt, let after):
            executionSeceded(execution, attempt: attempt, after: after)
        case .executionBegins(let execution, let run, let reading):
            guard let target = live(execution.worker, execution.generation) else { break }
            startExecution(target, execution.task, run: run, reading: reading)
        case .executionEnded(let execution, let outcome):
            guard let target = live(execution.worker, execution.generation) else { break }
            executionEnded(target, execution, outcome)
        case .executionHeard(let execution, let outcome):
            guard let target = live(execution.worker, execution.generation) else { break }
            hear(target, execution.task, outcome)
        case .fetchEnded(let transfer):
            guard live(transfer.worker, transfer.generation) != nil else { break }
            fetchEnded(transfer)
        case .dataArrived(let transfer, let data):
            dataArrived(transfer, data)
        case .kill(let name):
            kill(name)
        case .join(let setup):
            join(setup)
        case .windowOpens(let code, let name, let length):
            record(
                .fault, worker: name.flatMap { workerByName[$0] }, from: code.rawValue,
                detail: length)
        case .heartbeats:
            heartbeats()
        }
    }

    /// A batch's messages, in the order sent.
    private func arrivesTogether(_ batch: consuming ClusterEvent) {
        guard case .batch(var events, let id) = consume batch else { return }
        // A batch travels one link: all its messages are the scheduler's, or none.
        if events[0].isSchedulerMessage {
            // The scheduler takes a batch's messages in one go, as dask's stream handler. Read
            // in place: the list may be shared, and moving them out of it would copy it whole
            // (a graph sent task by task is one batch of as many messages).
            return schedulerReceives(events.count, batch: id) { schedulerMessage(events[$0]) }
        }
        arrivingBatch = id
        // Each moved out of the list it owns: reading one in place would copy it.
        for index in events.indices { arrives(events.take(at: index, leaving: .heartbeats)) }
        arrivingBatch = 0
    }

    /// The live worker process with this id and generation.
    func live(_ id: WorkerID, _ generation: Int) -> ClusterWorker? {
        worker(id).flatMap { $0.generation == generation ? $0 : nil }
    }

    /// The live worker processes, in id order.
    public var liveWorkers: [ClusterWorker] { workers.compactMap { $0 }.filter(\.alive) }

    /// The live worker process with this id, if any.
    public func worker(_ id: WorkerID) -> ClusterWorker? {
        guard id.int < workers.count, let worker = workers[id.int], worker.alive else {
            return nil
        }
        return worker
    }

    /// The value of a task in memory on a live worker, if any.
    public func value(of task: TaskID) -> (any Sendable)? {
        for holder in scheduler.replicas(of: task) {
            if let value = worker(holder)?.value(of: task) { return value }
        }
        return nil
    }

    // MARK: Trace and invariants

    func record(
        _ kind: TraceKind, task: TaskID? = nil, worker: WorkerID? = nil, from: UInt8 = 0,
        to: UInt8 = 0, detail: Int64 = 0
    ) {
        withDriver { driver in
            guard driver.recordsTrace else { return }
            driver.record(
                TraceRecord(
                    time: driver.now, kind: kind, task: task?.index ?? -1,
                    worker: worker?.index ?? -1, from: from, to: to, detail: detail))
        }
    }

    /// Records a delivered message: its kind, which way it went, the worker or client at the
    /// far end from the scheduler, a steal response's answer, its batch, and the tasks it
    /// names (the first in the record, each further one in a record of its own after it).
    func recordDelivery(
        _ kind: UInt8, _ direction: Delivery, end: Int32, state: UInt8, batch: Int,
        tasks: ((TaskID) -> Void) -> Void
    ) {
        withDriver { driver in
            guard driver.recordsTrace else { return }
            var first = true
            tasks { task in
                driver.record(
                    first
                        ? TraceRecord(
                            time: driver.now, kind: .delivered, task: task.index, worker: end,
                            from: kind, to: direction.rawValue, state: state,
                            detail: Int64(batch))
                        : TraceRecord(time: driver.now, kind: .namedTask, task: task.index))
                first = false
            }
            if first {
                driver.record(
                    TraceRecord(
                        time: driver.now, kind: .delivered, worker: end, from: kind,
                        to: direction.rawValue, state: state, detail: Int64(batch)))
            }
        }
    }

    /// Checks what the event changed (the rest cannot have broken anything): the scheduler's
    /// and the touched worker's records it wrote.
    private func checkTouchedInvariants() {
        var violations = schedulerTouched ? scheduler.changedInvariantViolations() : []
        if let worker = workerTouched, worker.alive {
            violations += worker.machine.changedInvariantViolations().map {
                "\(worker.setup.name): \($0)"
            }
        }
        if !violations.isEmpty { withDriver { $0.fail(violations) } }
    }

    /// Every invariant of the scheduler and the live workers, checked now.
    public func invariantViolations() -> [String] {
        var violations = scheduler.invariantViolations()
        for worker in liveWorkers {
            violations += worker.machine.invariantViolations().map { "\(worker.setup.name): \($0)" }
        }
        return violations
    }

    /// Where the scheduler's record of who holds which result and the live workers' data
    /// disagree (meaningful only with nothing in flight).
    public func dataAgreementViolations() -> [String] {
        scheduler.dataAgreementViolations(with: liveWorkers.map(\.machine))
    }
}

/// The most places a list the core reuses from event to event keeps between uses: past it,
/// one burst (the commands for a graph of a million tasks, a graph sent task by task) would
/// hold its size for the rest of the run.
@usableFromInline let reusedListLimit = 4096

extension Array {
    /// Empties a buffer reused from event to event, keeping its storage unless one burst made
    /// it larger than ``reusedListLimit``. Inlinable, so that other modules' calls are
    /// specialized: the generic one pops and destroys each element through the element
    /// type's witnesses.
    @inlinable
    package mutating func clearForReuse() {
        if capacity > reusedListLimit { self = [] } else { removeEach() }
    }
}
