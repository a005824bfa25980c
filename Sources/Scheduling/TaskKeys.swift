/// The names of a cluster's tasks: each key gets the next ``TaskID`` the first time a client
/// submits or scatters it, and keeps it for good.
///
/// Keys are hashed here, once per submission, and nowhere after: the scheduler, the workers
/// and the backends speak in ids, and keep per-task records in arrays indexed by them. A key
/// forgotten and submitted again is the same id in a new incarnation, as the scheduler counts
/// it.
public struct TaskKeys: Sendable {
    private var ids: [String: TaskID] = [:]
    /// Every key, by id.
    public private(set) var keys: [String] = []

    public init() {}

    /// How many keys have ids.
    public var count: Int { keys.count }

    /// The key's id, given now if the key is new.
    public mutating func intern(_ key: String) -> TaskID {
        let fresh = TaskID(keys.count)
        // One hash, new key or not: the slot is read and filled in place.
        func take(_ slot: inout TaskID?) -> TaskID {
            if let existing = slot { return existing }
            slot = fresh
            return fresh
        }
        let id = take(&ids[key])
        if id == fresh { keys.append(key) }
        return id
    }

    /// The key's id, if it has one.
    public func id(of key: String) -> TaskID? { ids[key] }

    /// The key of an id this table gave.
    public subscript(task: TaskID) -> String { keys[task.int] }

    /// Room for `count` more keys without growing.
    public mutating func reserve(_ count: Int) {
        let needed = keys.count + count
        // Geometric growth: reserving exactly would reallocate on every small batch.
        guard needed > ids.capacity else { return }
        ids.reserveCapacity(max(needed, 2 * ids.capacity))
        keys.reserveCapacity(max(needed, 2 * keys.capacity))
    }
}
