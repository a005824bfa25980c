import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// How long a thread about to sleep first watches for what it waits for (ns). On a busy
/// machine that usually comes within microseconds, and waking a sleeping thread costs the
/// waker a system call and both threads a switch.
package let spinTime: Int64 = 50_000

/// Watches `counter` for up to ``spinTime`` (never past the monotonic `deadline`, in ns),
/// yielding the processor between looks; whether it moved from `seen`.
package func watch(
    _ counter: borrowing Atomic<UInt64>, movingFrom seen: UInt64, until deadline: Int64? = nil
) -> Bool {
    let until = min(WallClock.now + spinTime, deadline ?? .max)
    repeat {
        sched_yield()
        if counter.load(ordering: .acquiring) != seen { return true }
    } while WallClock.now < until
    return false
}
