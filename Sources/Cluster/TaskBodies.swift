import Scheduling

/// A backend's task bodies by task id. A graph update's bodies travel with it, in the order of
/// its tasks (a scatter's with it, in the order of its values: a scattered value's body
/// returns the value); they are filed once the scheduler has taken the message and given its
/// tasks ids.
///
/// A body is kept as its closure and the index of its work model among the models filed: the
/// tasks of a graph mostly share a few models, and a store of a million bodies is memory per
/// task.
public struct TaskBodies {
    private var runs: [Run?] = []
    /// Each task's work model, by index into `models`.
    private var modelIndices: [Int32] = []
    /// The models filed, each kept again only when it differs from the one filed before it.
    private var models: [WorkModel] = []

    public init() {}

    /// A closure in a struct: stored bare as an array element, a function value is
    /// re-abstracted through a thunk allocated per body (32 bytes a task).
    private struct Run {
        let body: @Sendable ([any Sendable]) throws -> any Sendable
    }

    /// Files the bodies a message brought, if it brings any (a graph update or a scatter),
    /// under the ids `scheduler` gave its keys, replacing what a key sent again had; returns
    /// those ids. Call it right after the scheduler handled the message.
    @discardableResult
    public mutating func file(
        _ brought: [TaskBody], with message: SchedulerEvent, in scheduler: Scheduler
    ) -> [TaskID] {
        guard message.bringsBodies else { return [] }
        let tasks = scheduler.takeTasksOfLastGraph()
        precondition(brought.count == tasks.count, "a message arrived without its bodies")
        if runs.count < scheduler.taskCount {
            runs += repeatElement(nil, count: scheduler.taskCount - runs.count)
            modelIndices += repeatElement(-1, count: scheduler.taskCount - modelIndices.count)
        }
        for (task, body) in zip(tasks, brought) {
            runs[task.int] = Run(body: body.run)
            if models.last != body.model { models.append(body.model) }
            modelIndices[task.int] = Int32(models.count - 1)
        }
        return tasks
    }

    /// The value a client scattered under `task`'s key: what its body returns.
    public func scatteredValue(of task: TaskID, in scheduler: Scheduler) -> any Sendable {
        // A scattered value's body returns it and cannot throw.
        (try? body(of: task, in: scheduler)([])) ?? MissingInput(key: scheduler.key(of: task))
    }

    /// The body submitted for `task`, which the scheduler has dispatched.
    public func body(of task: TaskID, in scheduler: Scheduler) -> TaskBody {
        guard task.int < runs.count, let run = runs[task.int]?.body else {
            preconditionFailure("no body was submitted for \(scheduler.key(of: task))")
        }
        return TaskBody(model: models[Int(modelIndices[task.int])], run: run)
    }
}

extension SchedulerEvent {
    /// Whether the message comes with bodies for its keys: a graph update or a scatter.
    public var bringsBodies: Bool {
        switch self {
        case .updateGraph, .scatter: true
        default: false
        }
    }

    /// Bytes of data the message carries: a scatter's values.
    public var dataSize: Int64 {
        guard case .scatter(_, let data, _) = self else { return 0 }
        return data.reduce(0) { $0 + $1.size }
    }
}
