import Scheduling

/// A backend's task bodies by task id. A graph update's bodies travel with it, in the order of
/// its tasks (a scatter's with it, in the order of its values: a scattered value's body
/// returns the value); they are filed once the scheduler has taken the message and given its
/// tasks ids.
///
/// A body is kept as its code and the index of its work model among the models filed: the
/// tasks of a graph mostly share a few models, and a store of a million bodies is memory per
/// task.
public struct TaskBodies {
    private var codes: [TaskCode?] = []
    /// Each task's work model, by index into `models`.
    private var modelIndices: [Int32] = []
    /// The models filed, each kept again only when it differs from the one filed before it.
    private var models: [WorkModel] = []

    public init() {}

    /// Files the bodies a graph update or a scatter brought under the ids the scheduler gave
    /// its keys (``SchedulerCommand/graphAccepted(_:)``), replacing what a key sent again had.
    public mutating func file(_ brought: BodyBatch, under tasks: [TaskID]) {
        precondition(brought.count == tasks.count, "a message arrived without its bodies")
        let needed = (tasks.max()?.int ?? -1) + 1
        if codes.count < needed {
            codes += repeatElement(nil, count: needed - codes.count)
            modelIndices += repeatElement(-1, count: needed - modelIndices.count)
        }
        if let body = brought.single {
            codes[tasks[0].int] = body.code
            if models.last != body.model { models.append(body.model) }
            modelIndices[tasks[0].int] = Int32(models.count - 1)
            return
        }
        // The batch's models follow those filed, less a first one equal to the last filed.
        let shared = models.last != nil && models.last == brought.models.first
        let offset = Int32(models.count) - (shared ? 1 : 0)
        models += brought.models.dropFirst(shared ? 1 : 0)
        for (position, task) in tasks.enumerated() {
            codes[task.int] = brought.codes[position]
            modelIndices[task.int] = offset + brought.modelIndices[position]
        }
    }

    /// The value a client scattered under `task`'s key: what its body returns.
    public func scatteredValue(of task: TaskID, in scheduler: Scheduler) -> any Sendable {
        // A scattered value's body returns it and cannot throw.
        (try? body(of: task, in: scheduler)([])) ?? MissingInput(key: scheduler.key(of: task))
    }

    /// The body submitted for `task`, which the scheduler has dispatched.
    public func body(of task: TaskID, in scheduler: Scheduler) -> TaskBody {
        guard task.int < codes.count, let code = codes[task.int] else {
            preconditionFailure("no body was submitted for \(scheduler.key(of: task))")
        }
        return TaskBody(model: models[Int(modelIndices[task.int])], code: code)
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
