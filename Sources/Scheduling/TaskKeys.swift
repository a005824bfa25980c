/// The names of a cluster's tasks: each key gets the next ``TaskID`` the first time a client
/// submits or scatters it, and keeps it for good.
///
/// Keys are hashed here, once per submission, and nowhere after: the scheduler, the workers
/// and the backends speak in ids, and keep per-task records in arrays indexed by them. A key
/// forgotten and submitted again is the same id in a new incarnation, as the scheduler counts
/// it.
///
/// Each key is stored once, in the list by id (in its compact form, ``TaskKey``); the index
/// that finds a key's id holds ids only (8 bytes a slot, at most half full), not a second
/// copy of every key as a dictionary from keys would.
public struct TaskKeys: Sendable {
    /// Every key, by id.
    public private(set) var keys: [TaskKey] = []
    /// Open addressing with linear probing: a slot holds an id and the high half of its key's
    /// hash (to skip comparing keys that cannot match), or ``emptySlot``. The count is a
    /// power of two.
    private var slots: [UInt64] = []

    private static let emptySlot = UInt64.max

    public init() {}

    /// How many keys have ids.
    public var count: Int { keys.count }

    /// The key's id, given now if the key is new.
    public mutating func intern(_ key: TaskKey) -> TaskID {
        if (keys.count + 1) * 2 > slots.count { grow(toHold: keys.count + 1) }
        let hash = UInt64(UInt(bitPattern: key.hashValue))
        var slot = Int(truncatingIfNeeded: hash) & (slots.count - 1)
        while slots[slot] != Self.emptySlot {
            if let id = match(slots[slot], key, hash) { return id }
            slot = (slot + 1) & (slots.count - 1)
        }
        let id = TaskID(keys.count)
        slots[slot] = Self.entry(id, hash)
        keys.append(key)
        return id
    }

    /// The key's id, if it has one.
    public func id(of key: TaskKey) -> TaskID? {
        guard !slots.isEmpty else { return nil }
        let hash = UInt64(UInt(bitPattern: key.hashValue))
        var slot = Int(truncatingIfNeeded: hash) & (slots.count - 1)
        while slots[slot] != Self.emptySlot {
            if let id = match(slots[slot], key, hash) { return id }
            slot = (slot + 1) & (slots.count - 1)
        }
        return nil
    }

    /// The key of an id this table gave.
    public subscript(task: TaskID) -> TaskKey { keys[task.int] }

    /// Room for `count` more keys without growing.
    public mutating func reserve(_ count: Int) {
        let needed = keys.count + count
        guard needed * 2 > slots.count else { return }
        // Geometric growth: reserving exactly would reallocate on every small batch.
        keys.reserveCapacity(max(needed, 2 * keys.capacity))
        grow(toHold: needed)
    }

    /// The id in `entry` if it is `key`'s.
    private func match(_ entry: UInt64, _ key: TaskKey, _ hash: UInt64) -> TaskID? {
        guard entry >> 32 == hash >> 32 else { return nil }
        let id = TaskID(Int(truncatingIfNeeded: entry & 0xFFFF_FFFF))
        return keys[id.int] == key ? id : nil
    }

    private static func entry(_ id: TaskID, _ hash: UInt64) -> UInt64 {
        hash & 0xFFFF_FFFF_0000_0000 | UInt64(UInt32(truncatingIfNeeded: id.int))
    }

    /// Rebuilds the index with at least twice `count` slots (and at least double the old).
    private mutating func grow(toHold count: Int) {
        var capacity = max(16, slots.count * 2)
        while capacity < count * 2 { capacity *= 2 }
        slots = Array(repeating: Self.emptySlot, count: capacity)
        for (index, key) in keys.enumerated() {
            let hash = UInt64(UInt(bitPattern: key.hashValue))
            var slot = Int(truncatingIfNeeded: hash) & (capacity - 1)
            while slots[slot] != Self.emptySlot { slot = (slot + 1) & (capacity - 1) }
            slots[slot] = Self.entry(TaskID(index), hash)
        }
    }
}
