import HeapModule

/// The scheduler's queued tasks (dask's `queued`), smallest priority first.
///
/// A graph's root tasks mostly arrive in priority order, and a heap of a million of them spends
/// its time moving entries. Entries that arrive in order wait in a sorted run instead, and the
/// rest in a heap; popping takes the smaller of the two fronts, so the order is exactly a
/// heap's.
struct TaskQueue {
    /// Entries that arrived in order, sorted; those before `head` are gone.
    private var run: [QueueEntry] = []
    private var head = 0
    private var heap = Heap<QueueEntry>()

    var count: Int { run.count - head + heap.count }
    var isEmpty: Bool { count == 0 }

    mutating func insert(_ entry: QueueEntry) {
        if head < run.count, entry < run[run.count - 1] {
            heap.insert(entry)
        } else {
            run.append(entry)
        }
    }

    mutating func popMin() -> QueueEntry? {
        guard head < run.count else {
            if !run.isEmpty { (run, head) = ([], 0) }
            return heap.popMin()
        }
        if let first = heap.min, first < run[head] { return heap.removeMin() }
        defer {
            head += 1
            // Half taken: what is left moves to storage of its own size, so a draining queue
            // gives memory back as it goes.
            if head >= 1024, head * 2 >= run.count { compactRun() }
        }
        return run[head]
    }

    /// Gives back the storage a larger queue made it grow to; the order stays.
    mutating func shrink() {
        compactRun()
        heap = Heap(heap.unordered)
    }

    /// Moves the run's entries not yet taken to storage of their own size.
    private mutating func compactRun() {
        run = Array(run[head...])
        head = 0
    }
}

/// A queued task.
struct QueueEntry: Comparable {
    var priority: TaskPriority
    var task: TaskID
    static func < (lhs: QueueEntry, rhs: QueueEntry) -> Bool { lhs.priority < rhs.priority }
}
