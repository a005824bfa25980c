import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The default ``WaitStrategy``: a blocking call parks its thread on a condition variable
/// and measures timeouts on the monotonic clock.
public final class ThreadWaitStrategy: WaitStrategy {
    /// The one instance every thread-backed future shares; the strategy holds no state.
    public static let shared = ThreadWaitStrategy()

    private init() {}

    public var now: Duration { .nanoseconds(WallClock.now) }

    public func makeSignal() -> any WaitSignal { ConditionSignal() }
}

/// A condition on the monotonic clock with a sticky "notified" flag, so a notice that arrives
/// before the waiter sleeps is not lost. A waiter watches for a notice for a moment before it
/// sleeps: a future on a busy cluster is usually done within microseconds, and the thread
/// completing it then need not wake anyone.
final class ConditionSignal: WaitSignal, @unchecked Sendable {
    private let monitor = Monitor()
    /// Bumped by every notice, so a waiter can watch for one without the lock.
    private let notices = Atomic<UInt64>(0)
    // Read and written only with the monitor locked.
    private var notified = false

    func notify() {
        notices.add(1, ordering: .releasing)
        monitor.withLock {
            notified = true
            monitor.broadcast()
        }
    }

    func wait(until deadline: Duration?, for isSatisfied: () -> Bool) -> Bool {
        // A deadline beyond the clock's range is no deadline.
        let limit = deadline.map(\.nanoseconds).flatMap { $0 == .max ? nil : $0 }
        while true {
            let seen = notices.load(ordering: .acquiring)
            if isSatisfied() { return true }
            if watch(notices, movingFrom: seen, until: limit) {
                monitor.withLock { notified = false }
                continue
            }
            if !sleepUntilNotified(deadline: limit) { return isSatisfied() }
        }
    }

    /// Sleeps until a notice arrives (returns `true`) or the deadline (monotonic ns) passes.
    private func sleepUntilNotified(deadline: Int64?) -> Bool {
        monitor.withLock {
            while !notified {
                if let deadline, WallClock.now >= deadline { break }
                monitor.wait(until: deadline)
            }
            defer { notified = false }
            return notified
        }
    }
}
