#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A value guarded by a pthread mutex, in one allocation.
///
/// `Synchronization.Mutex` would do, but on Linux it locks with raw futex calls that
/// ThreadSanitizer cannot see, so every access under it is reported as a race; a pthread
/// mutex keeps the sanitized test run meaningful.
package final class Locked<State>: @unchecked Sendable {
    private let buffer: ManagedBuffer<State, pthread_mutex_t>

    package init(_ state: State) {
        buffer = .create(minimumCapacity: 1) { _ in state }
        buffer.withUnsafeMutablePointerToElements { _ = pthread_mutex_init($0, nil) }
    }

    deinit {
        buffer.withUnsafeMutablePointerToElements { _ = pthread_mutex_destroy($0) }
    }

    /// Runs `body` with the state, holding the lock.
    @inline(__always)
    package func withLock<Result, Failure: Error>(
        _ body: (inout State) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try buffer.withUnsafeMutablePointers { state, mutex throws(Failure) in
            pthread_mutex_lock(mutex)
            defer { pthread_mutex_unlock(mutex) }
            return try body(&state.pointee)
        }
    }
}
