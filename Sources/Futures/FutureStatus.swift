/// Where a future stands in its life.
///
/// The states are those of dask.distributed's client-side future, which extends
/// `concurrent.futures` with `lost`: a finished result whose every replica died while the
/// client still held the future, and which the cluster is recomputing.
public enum FutureStatus: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Created; not started yet.
    case pending
    /// Its work is executing.
    case running
    /// Holds a value.
    case finished
    /// Holds the error its work raised (or that a dependency raised). Final.
    case error
    /// Was cancelled before it could finish. Final.
    case cancelled
    /// Was finished, but the value is gone and is being recomputed. Not done.
    case lost

    /// Whether the future holds its outcome: finished, error or cancelled.
    ///
    /// A lost future is not done: its value must be computed again.
    public var isDone: Bool {
        switch self {
        case .finished, .error, .cancelled: true
        case .pending, .running, .lost: false
        }
    }

    /// Whether no transition can leave this status.
    public var isFinal: Bool { self == .error || self == .cancelled }

    /// Whether a future may move from this status to `next`.
    ///
    /// This is the complete table; every other pair is an invalid-state error:
    ///
    /// | from | to |
    /// |---|---|
    /// | pending | running, finished (already in memory), error, cancelled |
    /// | running | finished, error, pending (its worker died; retried), cancelled (forced) |
    /// | finished | lost |
    /// | lost | pending, running (recomputation), cancelled |
    /// | error, cancelled | nothing |
    public func canTransition(to next: FutureStatus) -> Bool {
        switch (self, next) {
        case (.pending, .running), (.pending, .finished), (.pending, .error),
            (.pending, .cancelled):
            true
        case (.running, .finished), (.running, .error), (.running, .pending),
            (.running, .cancelled):
            true
        case (.finished, .lost):
            true
        case (.lost, .pending), (.lost, .running), (.lost, .cancelled):
            true
        default:
            false
        }
    }

    public var description: String { rawValue }
}
