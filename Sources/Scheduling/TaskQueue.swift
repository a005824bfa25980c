import HeapModule

/// The scheduler's queued tasks (dask's `queued`), smallest priority first.
///
/// A graph's root tasks mostly arrive in priority order, and a heap of a million of them spends
/// its time moving entries. Tasks that arrive in order wait in a sorted run instead, and the
/// rest in a heap; popping takes the smaller of the two fronts, so the order is exactly a
/// heap's. The run keeps ids alone (4 bytes a task, where an entry with its priority takes
/// 32) and reads their priorities from the caller: a task's priority must not change while
/// it is in the queue, or ``reorder(by:)`` must follow the change.
struct TaskQueue {
    /// Tasks that arrived in order, sorted; those before `head` are gone.
    private var run: [TaskID] = []
    private var head = 0
    private var heap = Heap<QueueEntry>()

    var count: Int { run.count - head + heap.count }
    var isEmpty: Bool { count == 0 }

    /// Queues `task`; `priority` gives any queued task's priority.
    mutating func insert(_ task: TaskID, by priority: (TaskID) -> TaskPriority) {
        let taskPriority = priority(task)
        if head < run.count, taskPriority < priority(run[run.count - 1]) {
            heap.insert(QueueEntry(priority: taskPriority, task: task))
        } else {
            run.append(task)
        }
    }

    /// Takes the task of the smallest priority out.
    mutating func popMin(by priority: (TaskID) -> TaskPriority) -> TaskID? {
        guard head < run.count else {
            if !run.isEmpty { (run, head) = ([], 0) }
            return heap.popMin()?.task
        }
        if let first = heap.min, first.priority < priority(run[head]) {
            return heap.removeMin().task
        }
        defer {
            head += 1
            // Half taken: what is left moves to storage of its own size, so a draining queue
            // gives memory back as it goes.
            if head >= 1024, head * 2 >= run.count { compactRun() }
        }
        return run[head]
    }

    /// Orders what it holds by `priority` afresh, after queued tasks' priorities changed.
    mutating func reorder(by priority: (TaskID) -> TaskPriority) {
        let tasks = Array(run[head...]) + heap.unordered.map(\.task)
        heap = Heap(tasks.map { QueueEntry(priority: priority($0), task: $0) })
        (run, head) = ([], 0)
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

/// A task queued out of order, with its priority.
struct QueueEntry: Comparable {
    var priority: TaskPriority
    var task: TaskID
    static func < (lhs: QueueEntry, rhs: QueueEntry) -> Bool { lhs.priority < rhs.priority }
}
