/// The producing side of a ``Future``: whoever does the work keeps the promise and moves the
/// future through its states with it.
///
/// Every method either makes the transition ``FutureStatus/canTransition(to:)`` allows or
/// throws ``InvalidStateError`` and leaves the future as it was (setting a result twice, for
/// example, throws and keeps the first result).
public struct Promise<Value: Sendable>: Sendable {
    /// The future this promise completes; hand it to the consumer.
    public let future: Future<Value>

    /// A promise whose future is pending and whose blocking calls use `waitStrategy`.
    public init(waitStrategy: any WaitStrategy = ThreadWaitStrategy.shared) {
        future = Future(waitStrategy: waitStrategy)
    }

    /// The promise of a future made by ``init(waitStrategy:)`` whose promise was not kept:
    /// for this package's modules, which keep a million futures and not their promises
    /// beside them.
    package init(completing future: Future<Value>) {
        self.future = future
    }

    /// Marks the work as started: pending (or lost, for a recomputation) becomes running.
    ///
    /// - Returns: `false`, changing nothing, if the future was cancelled: the work must then
    ///   not run (`concurrent.futures`' `set_running_or_notify_cancel`).
    /// - Throws: ``InvalidStateError`` if the future is running or done.
    public func markRunning() throws(InvalidStateError) -> Bool {
        do {
            try future.transition(to: .running, outcome: nil)
            return true
        } catch {
            guard error.from == .cancelled else { throw error }
            return false
        }
    }

    /// Stores the value; pending, running → finished.
    public func succeed(_ value: Value) throws(InvalidStateError) {
        try future.transition(to: .finished, outcome: .value(value))
    }

    /// Stores the error the work raised; pending, running → error.
    public func fail(_ error: any Error) throws(InvalidStateError) {
        try future.transition(to: .error, outcome: .error(error))
    }

    /// Cancels the future even while its work runs (dask's `cancel(force=True)`).
    ///
    /// - Returns: `true` if the future is now cancelled (or already was); `false` if it is
    ///   finished or erred, which it stays.
    @discardableResult
    public func forceCancel() -> Bool {
        future.cancel(from: [.pending, .running, .lost])
    }

    /// Puts the future back to pending because its work will run again: running → pending
    /// when its worker died, lost → pending when its lost value is to be recomputed.
    public func requeue() throws(InvalidStateError) {
        try future.transition(to: .pending, outcome: nil, onlyFrom: [.running, .lost])
    }

    /// Marks a finished future's value as gone (every replica died): finished → lost.
    ///
    /// Callbacks that already ran do not run again; `result()` waits for the recomputation.
    public func markLost() throws(InvalidStateError) {
        try future.transition(to: .lost, outcome: nil)
    }
}
