/// What a done future holds.
enum Outcome<Value: Sendable>: Sendable {
    case value(Value)
    case error(any Error)
    case cancelled
}

extension Outcome {
    func get() throws -> Value {
        switch self {
        case .value(let value): return value
        case .error(let error): throw error
        case .cancelled: throw CancelledError()
        }
    }
}
