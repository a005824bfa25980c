/// What a task runs, without its work model: a function of its inputs' values, with what the
/// task binds of its own. Every form is one reference (a map's position beside it), so a
/// task's code takes 16 bytes where a message carries it and where a backend files it.
enum TaskCode: Sendable {
    /// A function of the inputs' values, as they are: the tasks of one submitting call whose
    /// arguments are their inputs in order (a graph given as data) share it.
    case function(TaskFunction)
    /// A function of one plain value.
    case value(BoundValue)
    /// A function of arguments that are plain values or inputs, in a plan of where each
    /// comes from.
    case plan(BoundPlan)
    /// One position of a map over plain values.
    case item(MappedValues, UInt32)

    /// Runs the code on the dependencies' values, in the order the scheduler lists them.
    func callAsFunction(_ inputs: [any Sendable]) throws -> any Sendable {
        switch self {
        case .function(let function):
            try function.call(inputs)
        case .value(let bound):
            try bound.function.call([bound.value])
        case .plan(let bound):
            try bound.function.call(
                bound.plan.map { argument in
                    switch argument {
                    case .value(let value): value
                    case .input(let position): inputs[position]
                    }
                })
        case .item(let mapped, let index):
            try mapped.call(Int(index))
        }
    }
}

/// A function of a task's arguments' values, shared by reference by the tasks of the call
/// that submitted them.
final class TaskFunction: Sendable {
    let call: @Sendable ([any Sendable]) throws -> any Sendable

    init(_ call: @escaping @Sendable ([any Sendable]) throws -> any Sendable) { self.call = call }
}

/// A submitted function with its one argument, a plain value.
final class BoundValue: Sendable {
    let function: TaskFunction
    let value: any Sendable

    init(_ function: TaskFunction, _ value: any Sendable) {
        self.function = function
        self.value = value
    }
}

/// A submitted function with where each of its arguments comes from: what the task keeps
/// until it is released, not the arguments (nor the inputs' keys).
final class BoundPlan: Sendable {
    let function: TaskFunction
    let plan: [Argument]

    /// Where an argument comes from when the task runs.
    enum Argument: Sendable {
        case value(any Sendable)
        /// The result of the dependency at this position.
        case input(Int)
    }

    init(_ function: TaskFunction, _ plan: [Argument]) {
        self.function = function
        self.plan = plan
    }
}

/// The plain values a `map` was given and the function it applies, kept once for all its
/// tasks: a task is its position (a million bodies that each bound a value took an
/// allocation each).
final class MappedValues: Sendable {
    /// The function applied to the value at a position.
    let call: @Sendable (Int) throws -> any Sendable

    init(call: @escaping @Sendable (Int) throws -> any Sendable) { self.call = call }
}
