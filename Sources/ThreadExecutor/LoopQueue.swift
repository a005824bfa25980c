import Cluster
import DequeModule

/// The control loop's entries, least first: those scheduled in order (each due no earlier
/// than the one scheduled before it, as almost every message with one latency and every
/// action handed over at once is) wait in a first-in first-out run, the few others in a heap,
/// and the lesser of the two fronts comes out first.
///
/// Entries are ordered by deadline, then by the order they were scheduled, so an entry that
/// joins the run is never less than the run's last one. A heap of every entry paid for its
/// levels on each insert and removal instead.
struct LoopQueue<Entry: Comparable> {
    private var run = Deque<Entry>()
    private var heap = EventQueue<Entry>()

    var isEmpty: Bool { run.isEmpty && heap.isEmpty }

    /// The least entry, if any.
    var min: Entry? {
        guard let first = run.first else { return heap.min }
        guard let least = heap.min, least < first else { return first }
        return least
    }

    /// Every entry, in no particular order.
    var unordered: [Entry] { Array(run) + heap.unordered }

    /// Adds an entry: to the run when it is not less than the run's last, else to the heap.
    mutating func insert(_ entry: Entry) {
        if let last = run.last, entry < last {
            heap.insert(entry)
        } else {
            run.append(entry)
        }
    }

    /// Takes the least entry out; the queue must not be empty.
    mutating func removeMin() -> Entry {
        if let first = run.first, heap.min.map({ first < $0 }) ?? true {
            return run.removeFirst()
        }
        return heap.removeMin()
    }
}
