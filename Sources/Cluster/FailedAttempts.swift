/// Which executions of a task an injected failure makes raise, by attempt number (1 for the
/// first run).
///
/// A count is kept as a count, never spelled out: `attempts: 1000000000` in a scenario costs
/// what `attempts: 2` does.
public enum FailedAttempts: Sendable, Hashable, ExpressibleByArrayLiteral {
    /// Attempts 1 through this number.
    case first(Int)
    /// The attempts listed.
    case listed([Int])

    public init(arrayLiteral attempts: Int...) { self = .listed(attempts) }

    public func contains(_ attempt: Int) -> Bool {
        switch self {
        case .first(let count): attempt >= 1 && attempt <= count
        case .listed(let attempts): attempts.contains(attempt)
        }
    }
}
