/// What a task runs, without its work model: a function of its inputs' values, or one
/// position of a ``MappedValues`` (a `map` over plain values, whose values and function its
/// tasks share instead of each binding its own).
enum TaskCode: Sendable {
    case function(@Sendable ([any Sendable]) throws -> any Sendable)
    case item(Int, of: MappedValues)

    /// Runs the code on the dependencies' values, in the order the scheduler lists them.
    func callAsFunction(_ inputs: [any Sendable]) throws -> any Sendable {
        switch self {
        case .function(let run): try run(inputs)
        case .item(let index, let mapped): try mapped.call(index)
        }
    }
}

/// The plain values a `map` was given and the function it applies, kept once for all its
/// tasks: a task is its position (a million bodies that each bound a value took a 64-byte
/// allocation each).
final class MappedValues: Sendable {
    /// The function applied to the value at a position.
    let call: @Sendable (Int) throws -> any Sendable

    init(call: @escaping @Sendable (Int) throws -> any Sendable) { self.call = call }
}
