/// Task ids in the order they were added, each at most once.
///
/// A worker's fetches in flight: with gathers of small results they can be thousands, and one
/// leaves with every result that arrives, so adding, removing and asking whether one is there
/// take constant time (amortized). Iterating follows the order of adding, so what a worker
/// does for each in turn (failing the fetches from a peer that left) is deterministic.
///
/// While `logsChanges` is on, it lists the ids added or removed since the last
/// `takeChanges(into:)`, so a checker can look at those alone instead of at every entry.
struct OrderedTaskSet: Sequence {
    /// Entries in the order added; `nil` where one was removed, until the next compaction.
    private var slots: [TaskID?] = []
    /// Each present id's index in `slots`. Looked up only, never iterated.
    private var positions = TaskMap<Int>()
    /// Whether additions and removals are listed for `takeChanges(into:)`.
    var logsChanges = false
    private var changes: [TaskID] = []

    var count: Int { positions.count }

    func contains(_ task: TaskID) -> Bool { positions[task] != nil }

    /// Adds it at the end, unless it is there already; whether it was added.
    @discardableResult
    mutating func append(_ task: TaskID) -> Bool {
        guard positions[task] == nil else { return false }
        positions[task] = slots.count
        slots.append(task)
        if logsChanges { changes.append(task) }
        return true
    }

    /// Removes it, if it is there; whether it was.
    @discardableResult
    mutating func remove(_ task: TaskID) -> Bool {
        guard let position = positions[task] else { return false }
        positions[task] = nil
        slots[position] = nil
        if logsChanges { changes.append(task) }
        if slots.count > 32, positions.count * 2 < slots.count { compact() }
        return true
    }

    /// Moves the ids added or removed since the last call (an id may be listed more than
    /// once) to the end of `list`.
    mutating func takeChanges(into list: inout [TaskID]) {
        list += changes
        changes.removeEach()
    }

    /// Drops the gaps removals left, keeping the order.
    private mutating func compact() {
        slots.removeAll { $0 == nil }
        for (index, task) in slots.enumerated() { positions[task!] = index }
    }

    func makeIterator() -> Iterator { Iterator(slots: slots.makeIterator()) }

    /// The present ids, in the order added.
    struct Iterator: IteratorProtocol {
        fileprivate var slots: IndexingIterator<[TaskID?]>

        mutating func next() -> TaskID? {
            while let slot = slots.next() {
                if let task = slot { return task }
            }
            return nil
        }
    }
}
