@_spi(Locking) import Futures
import DequeModule
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A worker's threads: each takes the next job from a shared queue, first in first out.
final class ThreadPool: @unchecked Sendable {
    private let monitor = Monitor()
    private let activity: Activity
    // Guarded by `monitor`.
    private var jobs = Deque<Job>()
    private let name: String
    private var stopped = false
    private var parked = 0
    private var threads: [pthread_t] = []
    /// Bumped on every submission, so an idle thread can watch for work without the lock.
    private let submitted = Atomic<UInt64>(0)

    /// `count` threads, each named `name` (for profilers).
    init(threads count: Int, named name: String, activity: Activity) {
        self.activity = activity
        self.name = name
        let started = (0..<count).map { _ in startThread(named: name) { self.work() } }
        monitor.withLock { threads = started }
    }

    /// Runs `job` on the next free thread; with `leavingAfter`, that thread then leaves the
    /// pool (a job that seceded: ``addThread()`` started its replacement).
    func submit(leavingAfter leaves: Bool = false, _ job: @escaping () -> Void) {
        activity.begin()
        submitted.add(1, ordering: .relaxed)
        monitor.withLock {
            guard !stopped else { return activity.end() }
            jobs.append(Job(run: job, leaves: leaves))
            if parked > 0 { monitor.signal() }
        }
    }

    /// Starts one more thread (in place of one whose job seceded).
    func addThread() {
        monitor.withLock {
            guard !stopped else { return }
            threads.append(startThread(named: name) { self.work() })
        }
    }

    /// Lets the running jobs end, drops the queued ones and joins the threads.
    func stop() {
        let threads: [pthread_t] = monitor.withLock {
            stopped = true
            monitor.broadcast()
            let threads = self.threads
            self.threads = []
            return threads
        }
        for thread in threads { pthread_join(thread, nil) }
    }

    private func work() {
        monitor.lock()
        while true {
            guard let job = jobs.popFirst() else {
                if stopped { break }
                if !spinsFindWork(), jobs.isEmpty, !stopped {
                    parked += 1
                    monitor.wait()
                    parked -= 1
                }
                continue
            }
            guard !stopped else {
                activity.end()
                continue
            }
            monitor.unlock()
            job.run()
            activity.end()
            monitor.lock()
            if job.leaves { break }
        }
        monitor.unlock()
    }

    /// A queued job. A struct, not a tuple: in the deque (generic storage) a tuple's closure
    /// is held behind a reabstraction thunk, whose context is allocated for every job.
    private struct Job {
        var run: () -> Void
        /// Whether its thread leaves the pool after it.
        var leaves: Bool
    }

    /// With the lock held: watches for a new job for a moment before the thread parks.
    private func spinsFindWork() -> Bool { watchBeforeParking(submitted, unlocking: monitor) }
}
