#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Reports an error a done-callback threw, as `concurrent.futures` logs it, on standard error.
func reportCallbackFailure(_ error: any Error, future: String) {
    let line = Array("orrery: error calling callback for \(future): \(error)\n".utf8)
    _ = line.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
}
