@_spi(Locking) import Futures
import Scheduling

/// A cluster's ``TaskKeys``, shared by its clients: each interns the keys it submits, on its
/// own thread, with one lock a submission.
public final class SharedTaskKeys: TaskKeyLookup {
    private let table = Locked(TaskKeys())

    public init() {}

    /// The ids of `keys`, then of `more`, given now to keys that are new (in that order).
    public func intern(_ keys: [TaskKey], then more: [[TaskKey]] = []) -> (
        ids: [TaskID], more: [[TaskID]]
    ) {
        table.withLock { table in
            table.reserve(keys.count)
            let ids = keys.map { table.intern($0) }
            let moreIDs = more.map { keys in keys.map { table.intern($0) } }
            return (ids, moreIDs)
        }
    }

    /// The key's id, if it has one.
    public func id(of key: String) -> TaskID? { table.withLock { $0.id(of: TaskKey(key)) } }

    /// The ids of the keys that have one.
    public func ids(of keys: [String]) -> [TaskID?] {
        table.withLock { table in keys.map { table.id(of: TaskKey($0)) } }
    }

    /// The key of an id this table gave.
    public func key(of task: TaskID) -> String { taskKey(of: task).string }

    /// The key of an id this table gave, in the form the table keeps.
    public func taskKey(of task: TaskID) -> TaskKey { table.withLock { $0[task] } }

    /// The keys of ids this table gave.
    public func keys(of tasks: [TaskID]) -> [String] {
        table.withLock { table in tasks.map { table[$0] } }.map(\.string)
    }
}
