#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Memory for a table of records indexed by id, which for a large graph is the scheduler's
/// largest allocation (a million tasks' records take over a hundred megabytes).
///
/// On Linux, a table of at least one huge page asks for huge pages: each first touch of fresh
/// memory is a page fault, and with 4 KiB pages the faults of a million-task graph's records
/// were about a twentieth of the scheduler's time; a 2 MiB page takes one fault where 4 KiB
/// pages take 512. Elsewhere, or where the kernel gives no huge pages, the memory is ordinary.
enum TableMemory {
    /// Where the kernel maps huge pages (x86-64 and arm64 with 4 KiB base pages).
    private static let hugePage = 2 << 20

    /// Uninitialised memory for `capacity` records; give it back with ``deallocate(_:)``.
    static func allocate<Record>(_: Record.Type, capacity: Int) -> UnsafeMutablePointer<Record> {
        let bytes = max(capacity, 1) * MemoryLayout<Record>.stride
        let huge = isHugePageCandidate(bytes)
        let alignment = huge ? hugePage : max(MemoryLayout<Record>.alignment, 16)
        var memory: UnsafeMutableRawPointer?
        guard posix_memalign(&memory, alignment, bytes) == 0, let memory else {
            fatalError("out of memory for a table of \(capacity) records")
        }
        #if os(Linux)
            // Advice only: a kernel without transparent huge pages ignores it.
            if huge { _ = madvise(memory, bytes, MADV_HUGEPAGE) }
        #endif
        return memory.bindMemory(to: Record.self, capacity: capacity)
    }

    /// Gives back memory from ``allocate(_:capacity:)``; its records must be deinitialised.
    static func deallocate<Record>(_ records: UnsafeMutablePointer<Record>) {
        free(records)
    }

    private static func isHugePageCandidate(_ bytes: Int) -> Bool {
        #if os(Linux)
            bytes >= hugePage
        #else
            false
        #endif
    }
}
