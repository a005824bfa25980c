import Scheduling

/// The results a worker process holds, by task id.
///
/// The results sit side by side in one list, and an index of positions finds them (linear
/// probing, at most half full, 4 bytes a slot): about 50 bytes a result, where a dictionary
/// from ids to results, whose every bucket is result-sized and at most three quarters full,
/// took about twice that. A million-task run holds a million results.
///
/// Nothing reads the results in the list's order, which removals change.
struct ResultStore {
    private var tasks: [TaskID] = []
    private var results: [StoredResult] = []
    /// Positions in `tasks` and `results` plus one, by slot (0: empty); the count is a power
    /// of two, or zero while nothing was stored.
    private var slots: [UInt32] = []

    /// How many results it holds.
    var count: Int { tasks.count }

    /// The task's result, if held; setting `nil` drops it.
    subscript(task: TaskID) -> StoredResult? {
        get { find(task).map { results[$0.position] } }
        set {
            if let found = find(task) {
                if let newValue {
                    results[found.position] = newValue
                } else {
                    remove(at: found)
                }
            } else if let newValue {
                insert(newValue, for: task)
            }
        }
    }

    /// Drops every result.
    mutating func removeAll() {
        self = ResultStore()
    }

    private func home(of task: TaskID) -> Int {
        // Fibonacci hashing: ids are dense, and a worker holds every n-th or a run of them.
        Int(
            truncatingIfNeeded: (UInt64(UInt32(truncatingIfNeeded: task.int))
                &* 0x9E37_79B9_7F4A_7C15) >> 32)
            & (slots.count - 1)
    }

    /// The slot and list position holding `task`, if any.
    private func find(_ task: TaskID) -> (slot: Int, position: Int)? {
        guard !slots.isEmpty else { return nil }
        var slot = home(of: task)
        while slots[slot] != 0 {
            let position = Int(slots[slot]) - 1
            if tasks[position] == task { return (slot, position) }
            slot = (slot + 1) & (slots.count - 1)
        }
        return nil
    }

    private mutating func insert(_ result: StoredResult, for task: TaskID) {
        if (tasks.count + 1) * 2 > slots.count { rebuildIndex(slotCount: max(16, slots.count * 2)) }
        tasks.append(task)
        results.append(result)
        var slot = home(of: task)
        while slots[slot] != 0 { slot = (slot + 1) & (slots.count - 1) }
        slots[slot] = UInt32(tasks.count)
    }

    /// Removes the entry found, moving the list's last entry into its place, and closes the
    /// gap in its probe run (backward-shift deletion, so lookups need no tombstones).
    private mutating func remove(at found: (slot: Int, position: Int)) {
        let last = tasks.count - 1
        if found.position != last {
            // The last entry's slot points at its new position.
            var slot = home(of: tasks[last])
            while Int(slots[slot]) - 1 != last { slot = (slot + 1) & (slots.count - 1) }
            slots[slot] = UInt32(found.position + 1)
            tasks[found.position] = tasks[last]
            results.swapAt(found.position, last)
        }
        tasks.removeLast()
        results.removeLast()
        var gap = found.slot
        var slot = (gap + 1) & (slots.count - 1)
        while slots[slot] != 0 {
            let wanted = home(of: tasks[Int(slots[slot]) - 1])
            // An entry may move back into the gap if its home is not after the gap, within
            // its run (cyclically: home in (gap, slot] means it must stay).
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
        for position in tasks.indices {
            var slot = home(of: tasks[position])
            while slots[slot] != 0 { slot = (slot + 1) & (slotCount - 1) }
            slots[slot] = UInt32(position + 1)
        }
    }
}
