@_spi(Locking) import Futures
import Synchronization

/// Counts the work a cluster has outstanding (queued events, timers, running executions), so
/// a run can tell when nothing more will ever happen.
///
/// Whoever starts a piece of work counts it before handing it over, and a piece of work that
/// causes more counts the new work before it ends; so zero means quiescence, not a gap.
final class Activity: Sendable {
    private let count = Atomic<Int>(0)
    private let monitor = Monitor()

    func begin() { count.add(1, ordering: .relaxed) }

    /// The pieces of work outstanding now.
    var outstanding: Int { count.load(ordering: .acquiring) }

    func end() {
        guard count.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 else { return }
        monitor.withLock { monitor.broadcast() }
    }

    /// Waits until nothing is outstanding or the monotonic deadline (ns) passes; whether the
    /// cluster went quiet.
    func waitUntilIdle(deadline: Int64?) -> Bool {
        monitor.withLock {
            while count.load(ordering: .acquiring) != 0 {
                if let deadline, WallClock.now >= deadline { return false }
                monitor.wait(until: deadline)
            }
            return true
        }
    }
}
