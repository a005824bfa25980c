/// Thrown by `result()` and `exception()` of a cancelled future, and by `value` in async code.
public struct CancelledError: Error, Sendable, Hashable, CustomStringConvertible {
    public init() {}
    public var description: String { "the future was cancelled" }
}

/// Thrown when a blocking call's timeout passes before its condition holds.
///
/// `unfinished` and `total` are set by ``asCompleted(_:timeout:)`` to say how many futures it
/// had not yielded when time ran out.
public struct TimeoutError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Futures still not done when the timeout passed, if the call watched several.
    public var unfinished: Int?
    /// Futures the call watched, if it watched several.
    public var total: Int?

    public init(unfinished: Int? = nil, total: Int? = nil) {
        self.unfinished = unfinished
        self.total = total
    }

    public var description: String {
        if let unfinished, let total {
            return "\(unfinished) (of \(total)) futures unfinished"
        }
        return "timed out"
    }
}

/// Thrown when the producing side asks for a transition the future's status does not allow,
/// such as setting a result twice. The future is left unchanged.
public struct InvalidStateError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The status the future had.
    public var from: FutureStatus
    /// The status that was asked for.
    public var to: FutureStatus
    /// The future as it was, in its description form.
    public var future: String

    public init(from: FutureStatus, to: FutureStatus, future: String) {
        self.from = from
        self.to = to
        self.future = future
    }

    public var description: String { "invalid state: \(from) → \(to): \(future)" }
}
