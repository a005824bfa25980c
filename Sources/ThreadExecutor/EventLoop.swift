import Cluster
@_spi(Locking) import Futures
import Scheduling
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// One thread that runs the cluster's events and other actions one at a time, each at or
/// after its monotonic deadline, in deadline order and, among equal deadlines, in the order
/// they were scheduled (so messages sent over one link with one latency arrive in order). The
/// scheduler and every worker's state machine live on it, so their state is never touched by
/// two threads.
///
/// Most events are scheduled by the loop's own actions (a message the scheduler sends, a
/// timer): those go straight into the loop's queue, with no lock and no closure. Other
/// threads hand their work over under a lock, and the loop takes everything handed over at
/// once.
final class EventLoop: @unchecked Sendable {
    /// A queued entry: when, the tie-breaker and where its work waits (a heap moves its
    /// entries often, and a cluster event is big): a cluster event for ``handle``, or any
    /// other action.
    private struct Entry: Comparable {
        var deadline: Int64
        var sequence: UInt64
        var parked: ParkedWork
        /// Whether it counts as outstanding work (see ``EventLoop/schedule(at:counted:_:)``).
        var counted: Bool

        static func < (lhs: Entry, rhs: Entry) -> Bool {
            (lhs.deadline, lhs.sequence) < (rhs.deadline, rhs.sequence)
        }

        static func == (lhs: Entry, rhs: Entry) -> Bool {
            (lhs.deadline, lhs.sequence) == (rhs.deadline, rhs.sequence)
        }
    }

    /// Work another thread handed over, in the order it was handed over.
    private struct Handover {
        var deadline: Int64
        var counted: Bool
        var action: () -> Void
    }

    /// An action waiting in its slot. A struct, not the closure itself: in generic storage a
    /// bare closure is held behind a reabstraction thunk, whose context is allocated for
    /// every action.
    private struct Action {
        var run: () -> Void
    }

    private let monitor = Monitor()
    private let activity: Activity
    // Guarded by `monitor`.
    private var handedOver: [Handover] = []
    private var stopped = false
    private var parked = false
    private var thread: pthread_t?
    /// Bumped on every handover, so the loop can tell without the lock whether there is any.
    private let handovers = Atomic<UInt64>(0)

    // Touched only on the loop's thread.
    private var queue = LoopQueue<Entry>()
    /// The queued cluster events, by slot.
    private var events = Slots<ClusterEvent>()
    /// The queued actions, by slot.
    private var actions = Slots<Action>()
    private var sequence: UInt64 = 0
    /// The handovers the loop has taken, as counted by `handovers`.
    private var handoversTaken: UInt64 = 0
    private var loopThread = pthread_t()

    /// Carries out a cluster event. Set it before scheduling the first event; the loop reads
    /// it only after taking work handed over under its lock, or from within an action. It
    /// takes the event: one it borrowed would be copied on its way to the core.
    var handle: ((consuming ClusterEvent) -> Void)!

    /// When the running action started (monotonic ns): the time of everything it does, so an
    /// action reads the clock once, not for every record and message. Read it only from
    /// within an action.
    private(set) var now: Int64 = 0
    /// Whether the running action counts as outstanding work. Read it only from within an
    /// action.
    private(set) var runningCounted = true

    init(activity: Activity) {
        self.activity = activity
        thread = startThread(named: "orrery-control") { self.run() }
    }

    /// Handles `event` on the loop once the monotonic clock reaches `deadline` (ns). Call it
    /// only from within an action on the loop's thread. An event not `counted` does not keep
    /// the cluster from going quiet: a timer that would find nothing to do.
    func schedule(_ event: consuming ClusterEvent, at deadline: Int64, counted: Bool) {
        assert(pthread_equal(loopThread, pthread_self()) != 0, "scheduled off the loop")
        if counted { activity.begin() }
        enqueue(.event(events.park(event)), at: deadline, counted: counted)
    }

    /// Runs `action` on the loop's thread once the monotonic clock reaches `deadline` (ns);
    /// callable from any thread. An action not `counted` does not keep the cluster from
    /// going quiet.
    func schedule(at deadline: Int64, counted: Bool = true, _ action: @escaping () -> Void) {
        if counted { activity.begin() }
        monitor.withLock {
            guard !stopped else {
                if counted { activity.end() }
                return
            }
            handedOver.append(Handover(deadline: deadline, counted: counted, action: action))
            handovers.add(1, ordering: .releasing)
            if parked { monitor.signal() }
        }
    }

    /// Runs `action` on the loop's thread as soon as the actions due before it ran.
    func execute(_ action: @escaping () -> Void) { schedule(at: 0, action) }

    /// The processor time the loop's thread has used so far; `nil` once it stopped, or where
    /// the system does not tell.
    var cpuTime: Duration? {
        monitor.withLock {
            guard let thread else { return nil }
            var clock = clockid_t()
            var time = timespec()
            guard pthread_getcpuclockid(thread, &clock) == 0, clock_gettime(clock, &time) == 0
            else { return nil }
            return .seconds(time.tv_sec) + .nanoseconds(time.tv_nsec)
        }
    }

    /// Stops the thread after the action it is running; actions not yet run are dropped.
    func stop() {
        let thread: pthread_t? = monitor.withLock {
            stopped = true
            // A loop running due entries looks for handovers between them.
            handovers.add(1, ordering: .releasing)
            if parked { monitor.signal() }
            return self.thread.take()
        }
        if let thread { pthread_join(thread, nil) }
    }

    private func enqueue(_ parked: ParkedWork, at deadline: Int64, counted: Bool) {
        queue.insert(
            Entry(deadline: deadline, sequence: sequence, parked: parked, counted: counted))
        sequence += 1
    }

    private func run() {
        loopThread = pthread_self()
        var taken: [Handover] = []
        monitor.lock()
        while !stopped {
            taken.append(contentsOf: handedOver)
            handedOver.removeEach()
            handoversTaken = handovers.load(ordering: .relaxed)
            let now = WallClock.now
            guard taken.isEmpty, queue.min.map({ $0.deadline > now }) ?? true else {
                monitor.unlock()
                for handover in taken {
                    enqueue(
                        .action(actions.park(Action(run: handover.action))),
                        at: handover.deadline,
                        counted: handover.counted)
                }
                taken.removeEach()
                runDue()
                monitor.lock()
                continue
            }
            let deadline = queue.min?.deadline
            if deadline.map({ $0 - now > spinTime }) ?? true, !spinsFindWork(),
                handedOver.isEmpty, !stopped
            {
                parked = true
                monitor.wait(until: deadline)
                parked = false
            }
        }
        let dropped =
            queue.unordered.filter(\.counted).count + handedOver.filter(\.counted).count
        handedOver = []
        monitor.unlock()
        queue = LoopQueue()
        events.removeAll()
        actions.removeAll()
        for _ in 0..<dropped { activity.end() }
    }

    /// Runs every entry due now, and those they schedule that are due by then, until none is
    /// due or another thread has handed work over (which may be due sooner).
    private func runDue() {
        // Read once: reading the stored closure retains its context, for every event.
        let handle = handle!
        while handovers.load(ordering: .relaxed) == handoversTaken, let first = queue.min {
            let time = WallClock.now
            guard first.deadline <= time else { return }
            let entry = queue.removeMin()
            now = time
            runningCounted = entry.counted
            switch entry.parked {
            case .event(let slot): handle(events.take(slot))
            case .action(let slot): actions.take(slot).run()
            }
            if entry.counted { activity.end() }
        }
    }

    /// With the lock held: watches for handed-over work for a moment before the loop parks.
    private func spinsFindWork() -> Bool { watchBeforeParking(handovers, unlocking: monitor) }
}

/// Lets `monitor` go and watches `counter` for a moment (``spinTime``) before the caller
/// parks; whether the counter moved. Called and returns with the monitor locked.
func watchBeforeParking(_ counter: borrowing Atomic<UInt64>, unlocking monitor: Monitor) -> Bool {
    let seen = counter.load(ordering: .relaxed)
    monitor.unlock()
    defer { monitor.lock() }
    return watch(counter, movingFrom: seen)
}
