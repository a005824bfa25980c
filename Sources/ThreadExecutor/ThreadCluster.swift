import Cluster
import Futures
import Scheduling
import Synchronization

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
    /// Touched only by the control thread while the cluster runs; safe to read after
    /// ``shutdown(cancellingPending:timeout:)``.
    public let scheduler: Scheduler
    public var waitStrategy: any WaitStrategy { ThreadWaitStrategy.shared }

    let activity = Activity()
    /// Runs the scheduler, the workers' state machines and the delivery of every message.
    let control: EventLoop
    /// Copies transferred bytes off the control thread.
    let transfers: ThreadPool
    /// The monotonic time (ns) of the cluster's time zero.
    let origin: Int64
    let faults: [Fault]
    let hasLinkFaults: Bool
    let shared: Locked<Shared>
    let eventCount = Atomic<Int>(0)

    // Touched only on the control loop.
    var schedulerCommands: [SchedulerCommand] = []
    /// Whether the wake the scheduler asks for now counts as outstanding work.
    var wakesCounted = true
    var bodies = TaskBodies()
    var workByTask: [TaskWork?] = []
    var membership = Membership()
    let holdKeys: [String]
    /// The trace records made on the control loop (all but a client's sends), in time order;
    /// kept without a lock, since every record of a task's progress is made there.
    var controlRecords: [TraceRecord] = []

    /// State any thread may touch, under one lock.
    struct Shared {
        /// The trace records made off the control loop, in time order.
        var clientRecords: [TraceRecord] = []
        /// Each client's release that later releases may still join; looked up only.
        var openReleases: [ClientID: ReleaseBatch] = [:]
        /// The first invariant violation, with the trace records before it.
        var violation: (time: Nanoseconds, violations: [String], recent: [TraceRecord])?
        var stopped = false
        var clients: [WeakReceiver] = []
        var errorObjects: [UInt64: any Error] = [:]
        var tokens: SeededGenerator
        var durations: SeededGenerator
        var faultDraws: SeededGenerator
        /// Executions started, by task index.
        var attempts: [Int] = []
        var workers: [RealWorker?] = []
        /// Every worker process started, dead ones too, to stop their threads.
        var processes: [RealWorker] = []
        /// Live workers by name; looked up only.
        var workerByName: [String: WorkerID] = [:]
        var linkFaults: LinkFaults
        /// Tasks of the keys holds name, once the scheduler knows them; looked up only.
        var heldTasks: [String: TaskID] = [:]
        /// Latest delivery time per link, so messages on one link stay in order.
        var linkLastDelivery: [Int64: Int64] = [:]
    }

    /// A cluster with `workers` joining now and `faults` scheduled from now.
    public init(
        configuration: ThreadConfiguration = ThreadConfiguration(), workers: [WorkerSetup],
        faults: [Fault] = []
    ) {
        self.configuration = configuration
        scheduler = configuration.cluster.makeScheduler()

        let seed = SeededGenerator(seed: configuration.cluster.seed)
        let linkFaults = LinkFaults(faults)
        shared = Locked(
            Shared(
                tokens: seed.split(stream: 5), durations: seed.split(stream: 2),
                faultDraws: seed.split(stream: 3), linkFaults: linkFaults))
        self.faults = faults
        hasLinkFaults = !linkFaults.isEmpty
        holdKeys = faults.compactMap {
            if case .hold(let rule) = $0 { return rule.key }
            return nil
        }
        control = EventLoop(activity: activity)
        transfers = ThreadPool(threads: 2, named: "orrery-network", activity: activity)
        origin = WallClock.now
        control.execute { [self] in
            for setup in workers { join(setup) }
            scheduleFaults()
        }
    }

    deinit { stopThreads() }

    // MARK: ClusterBackend

    public func connect(_ receiver: any ClientReceiver) -> ClientID {
        shared.withLock { state in
            state.clients.append(WeakReceiver(receiver))
            return ClientID(state.clients.count - 1)
        }
    }

    public func send(_ event: SchedulerEvent, bodies: [TaskBody], from client: ClientID) {
        let route = shared.withLock { state in
            let route = batchesReleases ? batch(event, from: client, in: &state) : .alone
            if route != .joined {
                // The clock is read under the lock, so these records are in time order.
                state.clientRecords.append(
                    TraceRecord(time: modelTime(), kind: .clientSent, from: event.kindCode))
            }
            return route
        }
        guard route == .alone else { return }
        toScheduler(
            event, bodies: bodies, from: MessageOnLink.client, sentAt: WallClock.now,
            latency: configuration.cluster.clientLatency
                + configuration.cluster.network.streamingTime(event.dataSize))
    }

    /// Whether a client's releases go in one message while the first has not reached the
    /// scheduler, as dask's batched stream carries them (dropping a hundred thousand futures
    /// then sends one message, not a hundred thousand). Only where it changes no timing:
    /// with no client latency and no link faults, a message is due when it is sent.
    private var batchesReleases: Bool {
        configuration.cluster.clientLatency == 0 && !hasLinkFaults
    }

    /// How a client's message travels.
    private enum Route {
        /// In a batch of releases already on its way.
        case joined
        /// As the first of a batch of releases, on its way now.
        case opened
        /// As a message of its own.
        case alone
    }

    /// With the shared lock held: a release joins its client's open batch or opens one,
    /// scheduled now; any other message closes the batch, so releases after it travel after
    /// it.
    private func batch(_ event: SchedulerEvent, from client: ClientID, in state: inout Shared)
        -> Route
    {
        guard case .release(_, let keys) = event else {
            state.openReleases[client] = nil
            return .alone
        }
        if let open = state.openReleases[client] {
            open.keys += keys
            return .joined
        }
        let batch = ReleaseBatch(keys: keys)
        state.openReleases[client] = batch
        // Scheduled with the lock held, so a message the client sends after joining the batch
        // is delivered after it.
        control.schedule(at: WallClock.now) { [self] in deliver(batch, from: client) }
        return .opened
    }

    /// The scheduler takes a batch of releases: no key joins it after this.
    private func deliver(_ batch: ReleaseBatch, from client: ClientID) {
        let keys = shared.withLock { state in
            if state.openReleases[client] === batch { state.openReleases[client] = nil }
            return batch.keys
        }
        handleOnScheduler(.release(client: client, keys: keys))
    }

    public func error(of failure: TaskFailure) -> (any Error)? {
        failure.origin == 0 ? nil : shared.withLock { $0.errorObjects[failure.origin] }
    }

    public func freshToken() -> String { shared.withLock { $0.tokens.keyToken() } }

    // MARK: Running and stopping

    /// Blocks the calling thread until the cluster's model time reaches `time` (a client
    /// timeline acts at its times this way).
    public func sleep(until time: Nanoseconds) {
        let monitor = Monitor()
        let deadline = deadline(time)
        monitor.withLock {
            while WallClock.now < deadline { monitor.wait(until: deadline) }
        }
    }

    /// Waits until nothing is left to happen (every message delivered, every execution,
    /// transfer and scheduled fault done) or the timeout passes; whether it went quiet.
    public func waitUntilQuiet(timeout: Duration? = nil) -> Bool {
        activity.waitUntilIdle(deadline: timeout.map { WallClock.now + $0.nanoseconds })
    }

    /// Stops the cluster, as `concurrent.futures`' `shutdown` does: with `cancellingPending`,
    /// every future not yet running is cancelled first; then it waits until the cluster is
    /// quiet (or the timeout passes) and stops every thread. Futures left unfinished are
    /// cancelled, so no caller waits on them forever. Returns whether the cluster went quiet.
    @discardableResult
    public func shutdown(cancellingPending: Bool = false, timeout: Duration? = nil) -> Bool {
        let clients = shared.withLock { $0.clients.compactMap(\.receiver) }
        if cancellingPending {
            for case let client as Client in clients { client.cancelAll() }
        }
        let quiet = waitUntilQuiet(timeout: timeout)
        stopThreads()
        for case let client as Client in clients { client.abandonAll() }
        return quiet
    }

    /// Why the run went wrong, if it did: an invariant broken while it ran or found broken
    /// at the end, or tasks that never finished. Read it after
    /// ``shutdown(cancellingPending:timeout:)``.
    public var failure: RunFailure? {
        let (violation, stopped) = shared.withLock { ($0.violation, $0.stopped) }
        guard stopped else { return nil }
        if let violation {
            return .invariant(
                time: violation.time, violations: violation.violations,
                recentTrace: violation.recent.map(scheduler.describe))
        }
        var violations = scheduler.invariantViolations()
        let live = shared.withLock { state in
            state.workerByName.values.sorted().compactMap { state.workers[$0.int] }
        }
        for worker in live {
            violations += worker.machine.invariantViolations().map { "\(worker.setup.name): \($0)" }
        }
        if !violations.isEmpty {
            return .invariant(
                time: modelTime(), violations: violations,
                recentTrace: traceRecords.suffix(20).map(scheduler.describe))
        }
        let stuck = scheduler.unfinishedTasks
        return stuck.isEmpty ? nil : .hang(time: modelTime(), stuckTasks: stuck)
    }

    /// Events the scheduler and the workers handled.
    public var eventsProcessed: Int { eventCount.load(ordering: .relaxed) }

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
        Nanoseconds((Double(instant - origin) / configuration.timeScale).rounded())
    }

    /// The model time of the control loop's running action (only there).
    var actionTime: Nanoseconds { modelTime(at: control.now) }

    /// The monotonic time (ns) at which model time reaches `time`.
    func deadline(_ time: Nanoseconds) -> Int64 { origin + configuration.scaled(time) }

    /// Records what happened now on the control loop (only there).
    func record(
        _ kind: TraceKind, task: TaskID? = nil, worker: WorkerID? = nil, from: UInt8 = 0,
        to: UInt8 = 0, detail: Int64 = 0
    ) {
        controlRecords.append(
            TraceRecord(
                time: actionTime, kind: kind, task: task?.index ?? -1,
                worker: worker?.index ?? -1, from: from, to: to, detail: detail))
    }

    /// Keeps the first invariant violation (the run goes on; reports name the first). Called
    /// on the control loop.
    func fail(_ violations: [String]) {
        let time = actionTime
        shared.withLock { state in
            guard state.violation == nil else { return }
            let recent = Self.merged(controlRecords.suffix(20), state.clientRecords.suffix(20))
            state.violation = (time, violations, Array(recent.suffix(20)))
        }
    }
}

/// Keys a client released, on their way to the scheduler in one message; guarded by the
/// cluster's shared lock.
final class ReleaseBatch {
    var keys: [String]
    init(keys: [String]) { self.keys = keys }
}
