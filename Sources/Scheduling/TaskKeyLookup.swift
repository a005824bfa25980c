/// Where a scheduler reads its tasks' keys when it keeps no copy of them: the cluster's key
/// table, which holds every key a client sends before the scheduler hears of it.
///
/// A scheduler reads keys only to name a task in a failure or a broken invariant, and to break
/// ties in dask's static order; a cluster's million tasks would otherwise have their keys kept
/// twice. The names never change once given, so reading them leaves the scheduler a function
/// of its events.
public protocol TaskKeyLookup: AnyObject, Sendable {
    /// The key of a task id the table gave.
    func taskKey(of task: TaskID) -> TaskKey
}
