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

    public var now: Duration { MonotonicClock.now }

    public func makeSignal() -> any WaitSignal { ConditionSignal() }
}

/// The monotonic clock, read as time since an unspecified origin.
enum MonotonicClock {
    static var now: Duration {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return .seconds(time.tv_sec) + .nanoseconds(time.tv_nsec)
    }

    static func absoluteTime(at instant: Duration) -> timespec {
        let (seconds, attoseconds) = instant.components
        return timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
    }
}

/// A pthread condition variable on the monotonic clock, with a sticky "notified" flag so a
/// notice that arrives before the waiter sleeps is not lost.
final class ConditionSignal: WaitSignal, @unchecked Sendable {
    // Both are only touched through pthread calls, which do their own synchronisation; the
    // `notified` flag is only read or written with `mutex` held.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var notified = false

    init() {
        pthread_mutex_init(mutex, nil)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(condition, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    func notify() {
        pthread_mutex_lock(mutex)
        notified = true
        pthread_cond_broadcast(condition)
        pthread_mutex_unlock(mutex)
    }

    func wait(until deadline: Duration?, for isSatisfied: () -> Bool) -> Bool {
        while true {
            if isSatisfied() { return true }
            if !sleepUntilNotified(deadline: deadline) { return isSatisfied() }
        }
    }

    /// Sleeps until a notice arrives (returns `true`) or the deadline passes (`false`).
    private func sleepUntilNotified(deadline: Duration?) -> Bool {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        if let deadline {
            var limit = MonotonicClock.absoluteTime(at: deadline)
            while !notified {
                if pthread_cond_timedwait(condition, mutex, &limit) == ETIMEDOUT { break }
            }
        } else {
            while !notified { pthread_cond_wait(condition, mutex) }
        }
        defer { notified = false }
        return notified
    }
}
