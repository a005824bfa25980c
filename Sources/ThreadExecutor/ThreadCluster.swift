import Cluster
@_spi(Locking) import Futures
import Scheduling

/// A cluster on real threads: the same ``Scheduler``, worker state machines, ``Client`` and
/// futures as a simulation, with the wall clock instead of a virtual one.
///
/// The scheduler and every worker's state machine handle their events on one control thread,
/// one event at a time (each machine's state is only ever touched there); task bodies run on
/// each worker's own pool of threads, and transfers copy their bytes on a network pool.
/// Messages arrive after their configured latency (scaled by
/// ``ThreadConfiguration/timeScale``), executions take their modelled time for real (sleeping,
/// or spinning with ``WorkModel/spins``), transfers take latency plus size over bandwidth, and
/// faults are carried out when their time comes. The trace has the simulation's format, with
/// monotonic wall-clock times scaled back to the model's units.
///
/// Client calls are safe from any thread. Call ``shutdown(cancellingPending:timeout:)`` when
/// done: it stops every thread.
public final class ThreadCluster: ClusterBackend, TracedCluster, @unchecked Sendable {
    public let configuration: ThreadConfiguration
    /// The cluster itself: what these threads drive. Touched only by the control thread
    /// while the cluster runs; safe to read after ``shutdown(cancellingPending:timeout:)``.
    public private(set) var core: ClusterCore<ThreadCluster>!
    /// Touched only by the control thread while the cluster runs; safe to read after
    /// ``shutdown(cancellingPending:timeout:)``.
    public var scheduler: Scheduler { core.scheduler }
    public var waitStrategy: any WaitStrategy { ThreadWaitStrategy.shared }

    let activity = Activity()
    /// Runs the scheduler, the workers' state machines and the delivery of every message.
    let control: EventLoop
    /// Copies transferred bytes off the control thread.
    let transfers: ThreadPool
    /// The monotonic time (ns) of the cluster's time zero.
    let origin: Int64
    let shared = Locked(Shared())

    // Touched only on the control loop.
    /// Each live worker process's threads, by worker index.
    var threads: [RealWorker?] = []
    /// The trace records made on the control loop (all but a client's sends), in time order;
    /// kept without a lock, since every record of a task's progress is made there.
    var controlRecords: [TraceRecord] = []
    /// The control loop's running action's start, monotonic and in model time: an action
    /// asks for the time for every record and message it makes.
    var actionTime: (wall: Int64, model: Nanoseconds) = (-1, 0)
    /// The lists the control loop last took out of the shared state, emptied with their
    /// capacity kept: each take swaps one in, so the threads that append to the shared
    /// lists do not allocate a new one (and the control loop free it) for every message.
    private var spareOutbox: [OutgoingMessage] = []
    var spareEnded: [(ExecutionRef, ExecutionOutcome)] = []

    /// State any thread may touch, under one lock.
    struct Shared {
        /// The trace records made off the control loop, in time order.
        var clientRecords: [TraceRecord] = []
        /// Client messages not yet taken by the control loop, in the order they were sent.
        var outbox: [OutgoingMessage] = []
        /// Executions that ended, not yet taken by the control loop, in the order they ended.
        var ended: [(ExecutionRef, ExecutionOutcome)] = []
        /// The first invariant violation, with the trace records before it.
        var violation: (time: Nanoseconds, violations: [String], recent: [TraceRecord])?
        var stopped = false
        /// Every worker process started, dead ones too, to stop their threads.
        var processes: [RealWorker] = []
    }

    /// A cluster with `workers` joining now and `faults` scheduled from now.
    public init(
        configuration: ThreadConfiguration = ThreadConfiguration(), workers: [WorkerSetup],
        faults: [Fault] = []
    ) {
        self.configuration = configuration
        control = EventLoop(activity: activity)
        transfers = ThreadPool(threads: 2, named: "orrery-network", activity: activity)
        origin = WallClock.now
        batchesReleases = configuration.cluster.clientLatency == 0 && LinkFaults(faults).isEmpty
        core = ClusterCore(
            settings: configuration.cluster,
            model: DriverModel(
                schedulerOverhead: nil,
                materializedShare: configuration.materializesOutputs
                    ? min(configuration.timeScale, 1) : nil),
            faults: faults, driver: self)
        let core = core!
        control.handle = { core.handle($0) }
        control.execute {
            // At time zero: before anything a client sends once the cluster exists.
            for setup in workers { core.join(setup, at: 0) }
            core.scheduleTimedFaults()
        }
    }

    deinit { stopThreads() }

    // MARK: ClusterBackend

    public var taskKeys: SharedTaskKeys { core.taskKeys }

    public func connect(_ receiver: any ClientReceiver) -> ClientID { core.connect(receiver) }

    /// Queues a client's message for the control loop, which sends it on with the time it
    /// was sent.
    public func send(_ event: SchedulerEvent, bodies: BodyBatch, from client: ClientID) {
        let wakesLoop = shared.withLock { state in
            // The clock is read under the lock, so these records are in time order.
            let sent = modelTime()
            if configuration.keepsTrace {
                state.clientRecords.append(
                    TraceRecord(time: sent, kind: .clientSent, from: event.kindCode))
            }
            state.outbox.append(
                OutgoingMessage(event: event, bodies: bodies, client: client, sentAt: sent))
            return state.outbox.count == 1
        }
        // At the time of sending, after what was due before it (the workers joining at the
        // start, say), not ahead of it.
        if wakesLoop { control.schedule(at: WallClock.now) { [self] in sendQueuedMessages() } }
    }

    /// Joins a release of the client still waiting for the control loop, if there is one.
    public func release(_ task: TaskID, from client: ClientID) {
        let joined =
            batchesReleases
            && shared.withLock { state in
                guard !state.outbox.isEmpty else { return false }
                return state.outbox[state.outbox.count - 1].joins(task, from: client)
            }
        if !joined { send(.release(client: client, tasks: [task]), bodies: [], from: client) }
    }

    /// Whether releases may join one another on their way: only where it changes no timing
    /// (with no client latency and no link faults, a message is due when it is sent).
    private let batchesReleases: Bool

    /// Sends on every client message queued so far (on the control loop).
    private func sendQueuedMessages() {
        var messages = spareOutbox
        spareOutbox = []
        shared.withLock { state in swap(&state.outbox, &messages) }
        for index in messages.indices {
            // Moved out of the list: read in place, its event and bodies would be copied.
            var message = messages.take(at: index, leaving: .placeholder)
            let (event, bodies) = message.takeContent()
            core.send(event, bodies: bodies, from: message.client, sentAt: message.sentAt)
        }
        messages.clearForReuse()
        spareOutbox = messages
    }

    public func error(of failure: TaskFailure) -> (any Error)? { core.error(of: failure) }

    public func freshToken() -> String { core.freshToken() }

    // MARK: Running and stopping

    /// Blocks the calling thread until the cluster's model time reaches `time` (a client
    /// timeline acts at its times this way); always true.
    @discardableResult
    public func sleep(until time: Nanoseconds) -> Bool {
        let monitor = Monitor()
        let deadline = deadline(time)
        monitor.withLock {
            while WallClock.now < deadline { monitor.wait(until: deadline) }
        }
        return true
    }

    /// Waits until nothing is left to happen (every message delivered, every execution,
    /// transfer and scheduled fault done) or the timeout passes; whether it went quiet.
    public func waitUntilQuiet(timeout: Duration? = nil) -> Bool {
        activity.waitUntilIdle(deadline: timeout.flatMap(WallClock.deadline(after:)))
    }

    /// The processor time the control thread has used since the cluster started (`nil` after
    /// ``shutdown(cancellingPending:timeout:)``). That one thread carries out every event, so
    /// beside the wall-clock time it tells how close it is to limiting the cluster: near
    /// the whole time, it is what a faster run would have to make cheaper.
    public var controlCPUTime: Duration? { control.cpuTime }

    /// Stops the cluster, as `concurrent.futures`' `shutdown` does: with `cancellingPending`,
    /// every future not yet running is cancelled first; then it waits until the cluster is
    /// quiet (or the timeout passes) and stops every thread. Futures left unfinished are
    /// cancelled, so no caller waits on them forever. Returns whether the cluster went quiet.
    @discardableResult
    public func shutdown(cancellingPending: Bool = false, timeout: Duration? = nil) -> Bool {
        let clients = core.connectedClients
        if cancellingPending {
            for case let client as Client in clients { client.cancelAll() }
        }
        let quiet = waitUntilQuiet(timeout: timeout)
        stopThreads()
        for case let client as Client in clients { client.abandonAll() }
        return quiet
    }

    /// Why the run went wrong, if it did: an invariant broken while it ran or found broken
    /// at the end, a livelock the cluster stopped, or tasks that never finished. Read it after
    /// ``shutdown(cancellingPending:timeout:)``.
    public var failure: RunFailure? {
        let (violation, stopped) = shared.withLock { ($0.violation, $0.stopped) }
        guard stopped else { return nil }
        if let violation {
            return .invariant(
                time: violation.time, violations: violation.violations,
                recentTrace: scheduler.entries(of: violation.recent).map(\.line))
        }
        let violations = core.invariantViolations()
        if !violations.isEmpty {
            return .invariant(
                time: modelTime(), violations: violations,
                recentTrace: scheduler.entries(of: Array(traceRecords.suffix(20))).map(\.line))
        }
        if let reason = core.livelock {
            return .stopped(time: modelTime(), reason: "livelock: \(reason)")
        }
        let stuck =
            scheduler.unfinishedTasks + scheduler.unsettledFutures(of: core.connectedClients)
        return stuck.isEmpty ? nil : .hang(time: modelTime(), stuckTasks: stuck)
    }

    /// Events the scheduler and the workers handled. Read it after
    /// ``shutdown(cancellingPending:timeout:)``.
    public var eventsProcessed: Int { core.eventsHandled }

    /// The trace in time order. Read it after ``shutdown(cancellingPending:timeout:)``.
    public var traceRecords: [TraceRecord] {
        Self.merged(controlRecords, shared.withLock { $0.clientRecords })
    }

    /// The stable hash of the trace (which differs from run to run: threads interleave). Read
    /// it after ``shutdown(cancellingPending:timeout:)``.
    public var traceHash: String {
        var trace = Trace()
        for record in traceRecords { trace.append(record) }
        return trace.hash
    }

    /// Two time-ordered lists of records as one; of records at one time, those of `client`
    /// (sends) come first.
    private static func merged(_ control: some Collection<TraceRecord>, _ client: [TraceRecord])
        -> [TraceRecord]
    {
        var merged: [TraceRecord] = []
        merged.reserveCapacity(control.count + client.count)
        var rest = client[...]
        for record in control {
            while let first = rest.first, first.time <= record.time {
                merged.append(first)
                rest.removeFirst()
            }
            merged.append(record)
        }
        merged += rest
        return merged
    }

    private func stopThreads() {
        let processes: [RealWorker] = shared.withLock { state in
            state.stopped = true
            return state.processes
        }
        control.stop()
        transfers.stop()
        for worker in processes { worker.stop() }
    }

    // MARK: Time

    /// The model time at the monotonic `instant` (ns; now by default): wall-clock time since
    /// the start, divided by the time scale.
    func modelTime(at instant: Int64 = WallClock.now) -> Nanoseconds {
        configuration.modelled(instant - origin)
    }

    /// The monotonic time (ns) at which model time reaches `time` (at most the clock's last).
    func deadline(_ time: Nanoseconds) -> Int64 {
        let (deadline, overflow) = origin.addingReportingOverflow(configuration.scaled(time))
        return overflow ? .max : deadline
    }

    /// Keeps the first invariant violation (the run goes on; reports name the first). Called
    /// on the control loop.
    public func fail(_ violations: [String]) {
        let time = now
        shared.withLock { state in
            guard state.violation == nil else { return }
            let recent = Self.merged(controlRecords.suffix(20), state.clientRecords.suffix(20))
            state.violation = (time, violations, Array(recent.suffix(20)))
        }
    }
}

/// A client's message waiting for the control loop.
struct OutgoingMessage {
    var event: SchedulerEvent
    var bodies: BodyBatch
    var client: ClientID
    /// When the client sent it, in model time.
    var sentAt: Nanoseconds

    /// What stands in a list for a message moved out of it.
    static let placeholder = OutgoingMessage(
        event: .tick, bodies: BodyBatch(), client: ClientID(0), sentAt: 0)

    /// Moves its event and bodies out, leaving the placeholder's (a copy of them would retain
    /// every list and body in them).
    mutating func takeContent() -> (SchedulerEvent, BodyBatch) {
        var takenEvent = SchedulerEvent.tick
        var takenBodies = BodyBatch()
        swap(&takenEvent, &event)
        swap(&takenBodies, &bodies)
        return (takenEvent, takenBodies)
    }

    /// Adds `task` to this message if it is a release of `client`; whether it did.
    mutating func joins(_ task: TaskID, from client: ClientID) -> Bool {
        guard case .release(let sender, var released) = event, sender == client else {
            return false
        }
        // Out of the message first, so the list grows in place.
        event = .release(client: client, tasks: [])
        released.append(task)
        event = .release(client: client, tasks: released)
        return true
    }
}
