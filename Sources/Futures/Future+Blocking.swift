extension Future {
    /// Waits until the future is done and returns its value.
    ///
    /// - Parameter timeout: how long to wait, on the future's ``WaitStrategy`` clock; `nil`
    ///   waits without limit, zero or less only looks.
    /// - Throws: the error the work raised (the same error value); ``CancelledError`` if the
    ///   future was cancelled; ``TimeoutError`` if the timeout passed first.
    public func result(timeout: Duration? = nil) throws -> Value {
        try outcome(timeout: timeout).get()
    }

    /// Waits until the future is done and returns the error its work raised, or `nil` if it
    /// finished with a value.
    ///
    /// - Throws: ``CancelledError`` if the future was cancelled; ``TimeoutError`` if the
    ///   timeout passed first.
    public func exception(timeout: Duration? = nil) throws -> (any Error)? {
        switch try outcome(timeout: timeout) {
        case .value: return nil
        case .error(let error): return error
        case .cancelled: throw CancelledError()
        }
    }

    /// The outcome, once the future is done; a lost future is waited for until recomputed.
    func outcome(timeout: Duration?) throws(TimeoutError) -> Outcome<Value> {
        if let outcome = outcomeIfDone { return outcome }
        let deadline = timeout.map { waitStrategy.now + $0 }
        let waiter = CompletionWaiter(strategy: waitStrategy)
        addObserver(waiter)
        defer { removeObserver(waiter) }
        var outcome: Outcome<Value>?
        _ = waiter.signal.wait(until: deadline) {
            outcome = outcomeIfDone
            return outcome != nil
        }
        guard let outcome else { throw TimeoutError() }
        return outcome
    }
}

/// Wakes one `result` or `exception` call when its future is done. A future that starts
/// running (or loses its value) cannot end that wait, so it wakes nobody: a blocked caller
/// would only look and sleep again, a thread switch for each task that starts.
private final class CompletionWaiter: FutureObserver {
    let signal: any WaitSignal

    init(strategy: any WaitStrategy) {
        signal = strategy.makeSignal()
    }

    func futureDidChange(_ future: any Waitable) {
        if future.status.isDone { signal.notify() }
    }
}
