#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Starts a thread running `body`; join it with `pthread_join`. `name` (at most 15 bytes)
/// is what profilers and debuggers show for the thread.
func startThread(named name: String, _ body: @escaping @Sendable () -> Void) -> pthread_t {
    final class Box {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }
    var thread = pthread_t()
    let box = Unmanaged.passRetained(Box(body)).toOpaque()
    let status = pthread_create(
        &thread, nil,
        { raw in
            Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue().body()
            return nil
        }, box)
    precondition(status == 0, "cannot start a thread (error \(status))")
    _ = setThreadName?(thread, String(name.utf8.prefix(15))!)
    return thread
}

/// glibc's `pthread_setname_np`, a GNU extension the Glibc module does not export; `nil`
/// where the C library lacks it (threads then go unnamed).
private let setThreadName: (@convention(c) (pthread_t, UnsafePointer<CChar>) -> Int32)? = {
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "pthread_setname_np") else {
        return nil
    }
    return unsafeBitCast(
        symbol, to: (@convention(c) (pthread_t, UnsafePointer<CChar>) -> Int32).self)
}()
