extension Future {
    /// The future's value, awaited without blocking a thread.
    ///
    /// Throws as ``result(timeout:)`` does. If the awaiting task is cancelled, the wait stops
    /// with `CancellationError`; the future itself is not cancelled. Under a strategy that
    /// drives progress (a simulation) the wait runs through it, as `result()` does.
    public var value: Value {
        get async throws {
            if let outcome = outcomeIfDone { return try outcome.get() }
            if waitStrategy.drivesProgress { return try result() }
            let waiter = AsyncWaiter(future: self)
            return try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { continuation in
                    waiter.start(continuation)
                }
            } onCancel: {
                waiter.finish(with: .failure(CancellationError()))
            }
            .get()
        }
    }
}

/// Resumes one awaiting task when its future is done, or when the task is cancelled,
/// whichever comes first, exactly once.
private final class AsyncWaiter<Value: Sendable>: FutureObserver {
    private enum State {
        case idle
        case waiting(CheckedContinuation<Outcome<Value>, any Error>)
        case ended(Result<Outcome<Value>, any Error>)
    }

    private let future: Future<Value>
    private let state = Locked(State.idle)

    init(future: Future<Value>) {
        self.future = future
    }

    func start(_ continuation: CheckedContinuation<Outcome<Value>, any Error>) {
        let endedEarly: Result<Outcome<Value>, any Error>? = state.withLock { state in
            if case .ended(let result) = state { return result }
            state = .waiting(continuation)
            return nil
        }
        if let endedEarly {
            continuation.resume(with: endedEarly)
            return
        }
        future.addObserver(self)
        if let outcome = future.outcomeIfDone { finish(with: .success(outcome)) }
    }

    func futureDidChange(_: any Waitable) {
        if let outcome = future.outcomeIfDone { finish(with: .success(outcome)) }
    }

    /// Resumes the task with `result` if nothing resumed it yet.
    func finish(with result: Result<Outcome<Value>, any Error>) {
        let continuation: CheckedContinuation<Outcome<Value>, any Error>? = state.withLock {
            state in
            switch state {
            case .idle:
                state = .ended(result)
                return nil
            case .waiting(let continuation):
                state = .ended(result)
                return continuation
            case .ended:
                return nil
            }
        }
        guard let continuation else { return }
        future.removeObserver(self)
        continuation.resume(with: result)
    }
}
