import DequeModule

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
    private var jobs = Deque<() -> Void>()
    private var stopped = false
    private var threads: [pthread_t] = []

    init(threads count: Int, activity: Activity) {
        self.activity = activity
        let started = (0..<count).map { _ in startThread { self.work() } }
        monitor.withLock { threads = started }
    }

    /// Runs `job` on the next free thread.
    func submit(_ job: @escaping () -> Void) {
        activity.begin()
        monitor.withLock {
            guard !stopped else { return activity.end() }
            jobs.append(job)
            monitor.signal()
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
                monitor.wait()
                continue
            }
            guard !stopped else {
                activity.end()
                continue
            }
            monitor.unlock()
            job()
            activity.end()
            monitor.lock()
        }
        monitor.unlock()
    }
}
