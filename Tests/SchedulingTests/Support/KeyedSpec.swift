import Scheduling

/// A task of a graph update as the tests write it, named by keys: the ``Harness`` interns the
/// keys (as a client does) into the ids a ``TaskSpec`` carries.
struct KeyedSpec {
    var key: String
    var dependencies: [String] = []
    var priority = 0
    var retries = 0
    var resources: [String: Double] = [:]
    var workers: [String] = []
    var allowOtherWorkers = false
    var estimatedDuration: Nanoseconds?
    var estimatedOutputSize: Int64?
}

extension TaskKeys {
    /// The specs with their keys interned: every task's key first, in order, then the
    /// dependencies (as ``Client`` does, so ids follow the order of submission).
    mutating func specs(_ keyed: [KeyedSpec]) -> [TaskSpec] {
        let ids = keyed.map { intern(TaskKey($0.key)) }
        return zip(keyed, ids).map { spec, id in
            TaskSpec(
                id: id, key: TaskKey(spec.key),
                dependencies: spec.dependencies.map { intern(TaskKey($0)) },
                priority: spec.priority, retries: spec.retries, resources: spec.resources,
                workers: spec.workers, allowOtherWorkers: spec.allowOtherWorkers,
                estimatedDuration: spec.estimatedDuration,
                estimatedOutputSize: spec.estimatedOutputSize)
        }
    }
}
