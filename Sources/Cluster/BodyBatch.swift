/// The bodies a graph update or a scatter brings to the scheduler, in the order of its tasks
/// (a scatter's in the order of its values).
///
/// Compact because a million-task update carries a million of them until the scheduler has
/// taken it: each task's code, and its work model kept once for a run of tasks that share it
/// (20 bytes a task instead of a ``TaskBody``'s 72). A batch of one body, what a single
/// submission brings, keeps it as it is, in no list at all: a program that submits a hundred
/// thousand tasks one by one has as many messages on their way.
public struct BodyBatch: Sendable, ExpressibleByArrayLiteral {
    /// The body of a batch of one.
    private(set) var single: TaskBody?
    private(set) var codes: [TaskCode] = []
    /// Each task's work model, by index into `models`.
    private(set) var modelIndices: [Int32] = []
    /// The models, each kept again only when it differs from the one before it.
    private(set) var models: [WorkModel] = []

    public init() {}

    public init(arrayLiteral bodies: TaskBody...) {
        for body in bodies { append(body) }
    }

    /// How many bodies it holds.
    public var count: Int { single == nil ? codes.count : 1 }

    /// The body at `position`, in the order of the message's tasks.
    public subscript(position: Int) -> TaskBody {
        if let single {
            precondition(position == 0, "a batch of one body has only position 0")
            return single
        }
        return TaskBody(model: models[Int(modelIndices[position])], code: codes[position])
    }

    /// Room for `count` bodies in all.
    public mutating func reserveCapacity(_ count: Int) {
        guard count > 1 else { return }
        codes.reserveCapacity(count)
        modelIndices.reserveCapacity(count)
    }

    /// Adds the next task's body.
    public mutating func append(_ body: TaskBody) {
        if codes.isEmpty, single == nil {
            single = body
            return
        }
        if let first = single {
            single = nil
            appendToLists(first)
        }
        appendToLists(body)
    }

    /// The bodies at the positions `isKept` accepts, in order.
    public func keeping(_ isKept: (Int) -> Bool) -> BodyBatch {
        var kept = BodyBatch()
        if let single {
            if isKept(0) { kept.append(single) }
            return kept
        }
        for position in codes.indices where isKept(position) { kept.append(self[position]) }
        return kept
    }

    private mutating func appendToLists(_ body: TaskBody) {
        codes.append(body.code)
        if models.last != body.model { models.append(body.model) }
        modelIndices.append(Int32(models.count - 1))
    }
}
