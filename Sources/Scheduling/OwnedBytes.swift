/// Bytes owned outright by one holder, freed with it: reading them retains nothing.
///
/// An array held by a class is retained and released around each read, two atomic operations
/// that cost more than a short read itself; the scheduler reads the newest group's name for
/// every task it creates.
struct OwnedBytes: ~Copyable {
    /// The bytes, valid while this value lives.
    let buffer: UnsafeBufferPointer<UInt8>

    init(_ bytes: some Collection<UInt8>) {
        let storage = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: bytes.count)
        _ = storage.initialize(from: bytes)
        buffer = UnsafeBufferPointer(storage)
    }

    deinit { buffer.deallocate() }
}
