import Scheduling

/// Something a task takes as an argument: a plain value, or a future whose result becomes
/// the value (and whose task becomes a dependency).
public protocol TaskInput: Sendable {
    associatedtype Value: Sendable
    /// How the argument takes part in the task: its key contribution and, for a future, the
    /// dependency it adds.
    var taskArgument: TaskArgument { get }
}

/// One argument of a submitted task, as the client keeps it.
public struct TaskArgument: Sendable {
    enum Source: Sendable {
        case value(any StableHashable & Sendable)
        case result(key: TaskKey)
    }

    let source: Source

    /// A plain value.
    public static func value<T: StableHashable & Sendable>(_ value: T) -> TaskArgument {
        TaskArgument(source: .value(value))
    }

    /// The result of the task named `key`.
    public static func result(ofKey key: String) -> TaskArgument {
        TaskArgument(source: .result(key: TaskKey(key)))
    }

    /// Adds what the argument stands for to a pure task's key.
    func contributeToKey(_ hasher: inout StableHasher) {
        switch source {
        case .value(let value):
            value.stableHash(into: &hasher)
        case .result(let key):
            hasher.combine(8)
            hasher.combine(key)
        }
    }

    /// The dependency's key, for a future.
    var dependency: TaskKey? {
        if case .result(let key) = source { return key }
        return nil
    }
}

/// A plain value as a task argument: it stands for itself, and its stable hash goes into
/// the key.
public protocol PlainTaskInput: TaskInput, StableHashable where Value == Self {}

extension PlainTaskInput {
    public var taskArgument: TaskArgument { .value(self) }
}

extension Int: PlainTaskInput {}
extension Int64: PlainTaskInput {}
extension UInt64: PlainTaskInput {}
extension Double: PlainTaskInput {}
extension Bool: PlainTaskInput {}
extension String: PlainTaskInput {}
extension Array: TaskInput, PlainTaskInput where Element: StableHashable & TaskInput {}

/// Stands in for an input that was not in the worker's memory (a bug the invariants report).
public struct MissingInput: Sendable {
    public var key: String

    public init(key: String) { self.key = key }
}
