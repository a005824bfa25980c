#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A value guarded by a pthread mutex, in one allocation; copies share the value and the lock.
///
/// `Synchronization.Mutex` would do, but on Linux it locks with raw futex calls that
/// ThreadSanitizer cannot see, so every access under it is reported as a race; a pthread
/// mutex keeps the sanitized test run meaningful.
@_spi(Locking) public struct Locked<State>: @unchecked Sendable {
    /// The value and, tail-allocated in the same block, the mutex (whose address must not
    /// move).
    @usableFromInline final class Storage: ManagedBuffer<State, pthread_mutex_t> {
        deinit {
            _ = withUnsafeMutablePointerToElements { pthread_mutex_destroy($0) }
        }
    }

    @usableFromInline let storage: Storage

    public init(_ state: State) {
        let buffer = Storage.create(minimumCapacity: 1) { _ in state }
        storage = unsafeDowncast(buffer, to: Storage.self)
        storage.withUnsafeMutablePointerToElements { _ = pthread_mutex_init($0, nil) }
    }

    /// Runs `body` with the state, holding the lock. Inlinable, so that a caller gets it
    /// specialized for its state and result instead of calling the generic one, which takes
    /// them through metadata on every lock of a client or a future; and public (as SPI),
    /// since a package type's inlinable members were not inlined into another module.
    @inlinable @inline(__always)
    public func withLock<Result, Failure: Error>(
        _ body: (inout State) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try storage.withUnsafeMutablePointers { state, mutex throws(Failure) in
            pthread_mutex_lock(mutex)
            defer { pthread_mutex_unlock(mutex) }
            return try body(&state.pointee)
        }
    }
}
