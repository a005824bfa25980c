#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A fixed set of pthread mutexes shared by many small objects, one chosen by an object's
/// address: for state that is locked briefly, where a mutex of each object's own would cost
/// every object an allocation (a simulation makes a future per task, by the million).
///
/// Two objects may share a mutex, so a caller must never take one while holding another. Like
/// ``Locked``, it uses pthread mutexes so the thread sanitizer sees the locking.
enum SharedLocks {
    private static let count = 64

    nonisolated(unsafe) private static let mutexes: UnsafeMutablePointer<pthread_mutex_t> = {
        let mutexes = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: count)
        for index in 0..<count { pthread_mutex_init(mutexes + index, nil) }
        return mutexes
    }()

    /// Runs `body` holding the mutex `object` maps to.
    @inline(__always)
    static func withLock<Result, Failure: Error>(
        for object: AnyObject, _ body: () throws(Failure) -> Result
    ) throws(Failure) -> Result {
        // Objects are 16-byte aligned: the bits above carry the spread.
        let address = UInt(bitPattern: ObjectIdentifier(object))
        let mutex = mutexes + Int((address >> 4) % UInt(count))
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }
}
