import Futures
import HeapModule
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// One thread that runs actions one at a time, each at or after its monotonic deadline, in
/// deadline order and, among equal deadlines, in the order they were scheduled (so messages
/// sent over one link with one latency arrive in order). The scheduler and every worker's
/// state machine live on one each, so their state is never touched by two threads.
final class EventLoop: @unchecked Sendable {
    private struct Entry: Comparable {
        var deadline: Int64
        var sequence: UInt64
        /// Whether it counts as outstanding work (see ``EventLoop/schedule(at:counted:_:)``).
        var counted: Bool
        var action: () -> Void

        static func < (lhs: Entry, rhs: Entry) -> Bool {
            (lhs.deadline, lhs.sequence) < (rhs.deadline, rhs.sequence)
        }

        static func == (lhs: Entry, rhs: Entry) -> Bool {
            (lhs.deadline, lhs.sequence) == (rhs.deadline, rhs.sequence)
        }
    }

    private let monitor = Monitor()
    private let activity: Activity
    // Guarded by `monitor`.
    private var queue = Heap<Entry>()
    private var sequence: UInt64 = 0
    private var stopped = false
    private var parked = false
    private var thread: pthread_t?
    /// Bumped on every schedule, so an idle loop can watch for work without the lock.
    private let scheduled = Atomic<UInt64>(0)
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

    /// Runs `action` on the loop's thread once the monotonic clock reaches `deadline` (ns).
    /// An action not `counted` does not keep the cluster from going quiet: a timer that would
    /// find nothing to do.
    func schedule(at deadline: Int64, counted: Bool = true, _ action: @escaping () -> Void) {
        if counted { activity.begin() }
        scheduled.add(1, ordering: .relaxed)
        monitor.withLock {
            guard !stopped else {
                if counted { activity.end() }
                return
            }
            queue.insert(
                Entry(deadline: deadline, sequence: sequence, counted: counted, action: action))
            sequence += 1
            if parked { monitor.signal() }
        }
    }

    /// Runs `action` on the loop's thread as soon as the actions due before it ran.
    func execute(_ action: @escaping () -> Void) { schedule(at: 0, action) }

    /// Stops the thread after the action it is running; actions not yet run are dropped.
    func stop() {
        let thread: pthread_t? = monitor.withLock {
            stopped = true
            if parked { monitor.signal() }
            return self.thread.take()
        }
        if let thread { pthread_join(thread, nil) }
    }

    private func run() {
        var due: [Entry] = []
        monitor.lock()
        while !stopped {
            let now = WallClock.now
            while let first = queue.min, first.deadline <= now { due.append(queue.removeMin()) }
            guard !due.isEmpty else {
                let deadline = queue.min?.deadline
                if deadline.map({ $0 - now > spinTime }) ?? true, !spinsFindWork(),
                    queue.min?.deadline == deadline, !stopped
                {
                    parked = true
                    monitor.wait(until: deadline)
                    parked = false
                }
                continue
            }
            monitor.unlock()
            for entry in due {
                self.now = WallClock.now
                runningCounted = entry.counted
                entry.action()
                if entry.counted { activity.end() }
            }
            due.removeAll(keepingCapacity: true)
            monitor.lock()
        }
        let dropped = queue.unordered.filter(\.counted).count
        queue = Heap()
        monitor.unlock()
        for _ in 0..<dropped { activity.end() }
    }

    /// With the lock held: watches for new work for a moment before the loop parks.
    private func spinsFindWork() -> Bool { watchBeforeParking(scheduled, unlocking: monitor) }
}

/// Lets `monitor` go and watches `counter` for a moment (``spinTime``) before the caller
/// parks; whether the counter moved. Called and returns with the monitor locked.
func watchBeforeParking(_ counter: borrowing Atomic<UInt64>, unlocking monitor: Monitor) -> Bool {
    let seen = counter.load(ordering: .relaxed)
    monitor.unlock()
    defer { monitor.lock() }
    return watch(counter, movingFrom: seen)
}
