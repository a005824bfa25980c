import Scheduling

/// A backend's task bodies by task id. A graph update's bodies travel with it, in the order of
/// its tasks; they are filed once the scheduler has taken the graph and given its tasks ids.
public struct TaskBodies {
    private var bodies: [TaskBody?] = []

    public init() {}

    /// Files a graph update's bodies under the ids `scheduler` gave its tasks, replacing what
    /// a key submitted again had; returns those ids.
    @discardableResult
    public mutating func file(
        _ graph: [TaskBody], of specs: [TaskSpec], in scheduler: Scheduler
    ) -> [TaskID] {
        precondition(graph.count == specs.count, "a graph update arrived without its bodies")
        if bodies.count < scheduler.taskCount {
            bodies += repeatElement(nil, count: scheduler.taskCount - bodies.count)
        }
        var filed: [TaskID] = []
        filed.reserveCapacity(specs.count)
        for (spec, body) in zip(specs, graph) {
            guard let task = scheduler.task(forKey: spec.key) else { continue }
            bodies[task.int] = body
            filed.append(task)
        }
        return filed
    }

    /// The body submitted for `task`, which the scheduler has dispatched.
    public func body(of task: TaskID, in scheduler: Scheduler) -> TaskBody {
        guard task.int < bodies.count, let body = bodies[task.int] else {
            preconditionFailure("no body was submitted for \(scheduler.key(of: task))")
        }
        return body
    }
}
