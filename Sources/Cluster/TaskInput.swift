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
        case value(any Sendable)
        case result(key: String)
    }

    let source: Source
    let contributeToKey: @Sendable (inout StableHasher) -> Void

    /// A plain value.
    public static func value<T: StableHashable & Sendable>(_ value: T) -> TaskArgument {
        TaskArgument(source: .value(value)) { value.stableHash(into: &$0) }
    }

    /// The result of the task named `key`.
    public static func result(ofKey key: String) -> TaskArgument {
        TaskArgument(source: .result(key: key)) { hasher in
            hasher.combine(8)
            hasher.combine(key)
        }
    }

    /// The dependency's key, for a future.
    var dependency: String? {
        if case .result(let key) = source { return key }
        return nil
    }
}

extension Int: TaskInput {
    public typealias Value = Int
    public var taskArgument: TaskArgument { .value(self) }
}
extension Int64: TaskInput {
    public typealias Value = Int64
    public var taskArgument: TaskArgument { .value(self) }
}
extension UInt64: TaskInput {
    public typealias Value = UInt64
    public var taskArgument: TaskArgument { .value(self) }
}
extension Double: TaskInput {
    public typealias Value = Double
    public var taskArgument: TaskArgument { .value(self) }
}
extension Bool: TaskInput {
    public typealias Value = Bool
    public var taskArgument: TaskArgument { .value(self) }
}
extension String: TaskInput {
    public typealias Value = String
    public var taskArgument: TaskArgument { .value(self) }
}
extension Array: TaskInput where Element: StableHashable & TaskInput {
    public typealias Value = [Element]
    public var taskArgument: TaskArgument { .value(self) }
}
