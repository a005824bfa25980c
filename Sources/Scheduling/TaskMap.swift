/// Values by task id, for a table that holds some of a cluster's tasks (a worker's records
/// or results): a dictionary's operations at about half its memory and without hashing.
///
/// The entries sit side by side in two lists (ids and values), and an index of positions
/// finds them (linear probing, at most half full, 4 bytes a slot): about 8 bytes an entry
/// beside the value, where a dictionary's buckets, each as wide as an id and a value and at
/// most three quarters full, took about twice the value's width again. Ids are mixed by
/// Fibonacci hashing, a multiply, instead of the seeded hash a dictionary calls.
///
/// Iteration follows the lists, which a removal changes (the last entry moves into the gap):
/// the same operations give the same order in every process, but code must not read meaning
/// into it.
public struct TaskMap<Value>: Sequence {
    private var ids: [TaskID] = []
    private var values: [Value] = []
    /// Positions in the lists plus one, by slot (0: empty); the count is a power of two, or
    /// zero while nothing was stored.
    private var slots: [UInt32] = []

    public init() {}

    /// How many entries it holds.
    public var count: Int { ids.count }

    public var isEmpty: Bool { ids.isEmpty }

    /// The ids it holds, in iteration order.
    public var keys: [TaskID] { ids }

    /// The task's value, if held; setting `nil` removes the entry.
    public subscript(task: TaskID) -> Value? {
        get { find(task).map { values[$0.position] } }
        set {
            let found = find(task)
            // Consumed: a record (a class) moves in without a retain and release.
            switch consume newValue {
            case .some(let value):
                if let found { values[found.position] = value } else { insert(value, for: task) }
            case .none:
                if let found { remove(at: found) }
            }
        }
    }

    /// Removes every entry.
    public mutating func removeAll() {
        self = TaskMap()
    }

    public func makeIterator() -> Zip2Sequence<[TaskID], [Value]>.Iterator {
        zip(ids, values).makeIterator()
    }

    private func home(of task: TaskID) -> Int {
        let mixed = UInt64(UInt32(truncatingIfNeeded: task.int)) &* 0x9E37_79B9_7F4A_7C15
        return Int(truncatingIfNeeded: mixed >> 32) & (slots.count - 1)
    }

    /// The slot and list position holding `task`, if any.
    private func find(_ task: TaskID) -> (slot: Int, position: Int)? {
        guard !slots.isEmpty else { return nil }
        var slot = home(of: task)
        while slots[slot] != 0 {
            let position = Int(slots[slot]) - 1
            if ids[position] == task { return (slot, position) }
            slot = (slot + 1) & (slots.count - 1)
        }
        return nil
    }

    private mutating func insert(_ value: consuming Value, for task: TaskID) {
        if (ids.count + 1) * 2 > slots.count {
            rebuildIndex(slotCount: Swift.max(16, slots.count * 2))
        }
        ids.append(task)
        values.append(value)
        var slot = home(of: task)
        while slots[slot] != 0 { slot = (slot + 1) & (slots.count - 1) }
        slots[slot] = UInt32(ids.count)
    }

    /// Removes the entry found, moving the lists' last entry into its place, and closes the
    /// gap in its probe run (backward-shift deletion, so lookups need no tombstones).
    private mutating func remove(at found: (slot: Int, position: Int)) {
        let last = ids.count - 1
        if found.position != last {
            // The last entry's slot points at its new position.
            var slot = home(of: ids[last])
            while Int(slots[slot]) - 1 != last { slot = (slot + 1) & (slots.count - 1) }
            slots[slot] = UInt32(found.position + 1)
            ids[found.position] = ids[last]
            // Moved, not swapped: a swap copies both values (for a class, two retains and two
            // releases).
            values[found.position] = values.removeLast()
        } else {
            values.removeLast()
        }
        ids.removeLast()
        var gap = found.slot
        var slot = (gap + 1) & (slots.count - 1)
        while slots[slot] != 0 {
            let wanted = home(of: ids[Int(slots[slot]) - 1])
            // An entry may move back into the gap unless its home lies after the gap, up to
            // its own slot (cyclically).
            let stays =
                gap <= slot ? (gap < wanted && wanted <= slot) : (gap < wanted || wanted <= slot)
            if !stays {
                slots[gap] = slots[slot]
                gap = slot
            }
            slot = (slot + 1) & (slots.count - 1)
        }
        slots[gap] = 0
    }

    private mutating func rebuildIndex(slotCount: Int) {
        slots = Array(repeating: 0, count: slotCount)
        for position in ids.indices {
            var slot = home(of: ids[position])
            while slots[slot] != 0 { slot = (slot + 1) & (slotCount - 1) }
            slots[slot] = UInt32(position + 1)
        }
    }
}
