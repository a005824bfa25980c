import Synchronization

/// The consuming side of a computation that finishes later: its status, its value or error,
/// callbacks when it is done, and blocking or `async` ways to wait for it.
///
/// Semantics are those of Python's `concurrent.futures.Future`, extended with dask's `lost`
/// status (see ``FutureStatus``). A future is made by a ``Promise``, which its producer
/// keeps to move it through its states. All members are safe to call from any thread.
///
/// Two futures are equal only when they are the same object.
public final class Future<Value: Sendable>: Waitable, Hashable, CustomStringConvertible,
    @unchecked Sendable
{
    /// A done-callback. It gets the done future; an error it throws is reported and does
    /// not stop the callbacks after it.
    public typealias Callback = @Sendable (Future<Value>) throws -> Void

    public let waitStrategy: any WaitStrategy

    // A program may hold a million futures, so the state is kept small: callbacks and
    // observers in one list, and the narrow fields last, the status's byte right after the
    // outcome's, so no padding follows them inside the object (for a word-sized result the
    // object then fits a 64-byte allocation, where the list last took 80).
    private struct State {
        /// Callbacks not yet run and observers, in the order they were added.
        var listeners: [Listener] = []
        var outcome: Outcome<Value>?
        var status = FutureStatus.pending
    }

    private enum Listener {
        case callback(Callback)
        case observer(any FutureObserver)
    }

    /// Guarded by the future's shared lock: touched only in ``withState(_:)``.
    private var state = State()
    /// The status as a ``StatusSet`` bit, written with the state under the lock and read
    /// without it: a wait over many futures reads each one's status, and a lock each time
    /// was most of its cost.
    private let publishedStatus = Atomic<UInt8>(StatusSet.pending.rawValue)

    /// Runs `body` on the state, holding the lock. It must not lock another future.
    private func withState<Result, Failure: Error>(
        _ body: (inout State) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try SharedLocks.withLock(for: self) { () throws(Failure) -> Result in
            try body(&state)
        }
    }

    init(waitStrategy: any WaitStrategy) {
        self.waitStrategy = waitStrategy
    }

    // MARK: Queries

    public var status: FutureStatus {
        StatusSet(rawValue: publishedStatus.load(ordering: .acquiring)).status
    }

    /// Whether the future holds a value, an error or a cancellation.
    public var isDone: Bool { status.isDone }

    /// Whether the future's work is executing now.
    public var isRunning: Bool { status == .running }

    /// Whether the future was cancelled.
    public var isCancelled: Bool { status == .cancelled }

    /// The outcome if the future is done, else `nil`.
    var outcomeIfDone: Outcome<Value>? {
        withState { $0.status.isDone ? $0.outcome : nil }
    }

    // MARK: Cancelling

    /// Cancels the future if its work has not started.
    ///
    /// - Returns: `true` if the future is now cancelled (it was pending or lost, or was already
    ///   cancelled); `false` if it is running, finished or erred, which it stays.
    @discardableResult
    public func cancel() -> Bool {
        cancel(from: [.pending, .lost])
    }

    /// Cancels the future if its status is in `allowed`; `true` if it is cancelled now.
    func cancel(from allowed: StatusSet) -> Bool {
        // A status that refuses, read first, answers without the transition's error (whose
        // description costs more than the rest): cancelling a thousand finished futures is
        // common. The cancel then takes effect at that read.
        let current = status
        guard allowed.contains(StatusSet(current)) else { return current == .cancelled }
        do {
            try transition(to: .cancelled, outcome: .cancelled, onlyFrom: allowed)
            return true
        } catch {
            return error.from == .cancelled
        }
    }

    // MARK: Callbacks

    /// Calls `callback` once, when the future first becomes finished, erred or cancelled;
    /// callbacks run in the order they were added, on the thread that completed the future.
    /// On a future that is already done, it runs at once on the calling thread.
    public func addDoneCallback(_ callback: @escaping Callback) {
        let runNow = withState { state in
            if state.status.isDone { return true }
            state.listeners.append(.callback(callback))
            return false
        }
        if runNow { run(callback) }
    }

    private func run(_ callback: Callback) {
        do {
            try callback(self)
        } catch {
            reportCallbackFailure(error, future: description)
        }
    }

    // MARK: Observers

    public func addObserver(_ observer: any FutureObserver) {
        withState { $0.listeners.append(.observer(observer)) }
    }

    public func removeObserver(_ observer: any FutureObserver) {
        removeFirstObserver { $0 === observer }
    }

    /// Removes the first observer that `matches` (called with the lock held).
    package func removeFirstObserver(where matches: (any FutureObserver) -> Bool) {
        withState { state in
            let index = state.listeners.firstIndex { listener in
                guard case .observer(let observer) = listener else { return false }
                return matches(observer)
            }
            if let index { state.listeners.remove(at: index) }
        }
    }

    // MARK: Transitions

    /// Moves the future to `next`, or throws and changes nothing if the current status does
    /// not allow it (or is not in `onlyFrom`). Observers are told and, on the
    /// first transition to a done status, callbacks run, both after the lock is released.
    func transition(
        to next: FutureStatus, outcome: Outcome<Value>?, onlyFrom: StatusSet = .all
    ) throws(InvalidStateError) {
        let listeners = try withState { state throws(InvalidStateError) -> [Listener] in
            let allowed =
                state.status.canTransition(to: next) && onlyFrom.contains(StatusSet(state.status))
            guard allowed else {
                throw InvalidStateError(
                    from: state.status, to: next,
                    future: Self.describe(state.status, state.outcome))
            }
            state.status = next
            state.outcome = outcome
            publishedStatus.store(StatusSet(next).rawValue, ordering: .releasing)
            let listeners = state.listeners
            if next.isDone, !listeners.isEmpty {
                // Callbacks run once: only the observers stay.
                state.listeners = listeners.filter {
                    if case .observer = $0 { true } else { false }
                }
            }
            return listeners
        }
        for case .observer(let observer) in listeners { observer.futureDidChange(self) }
        guard next.isDone else { return }
        for case .callback(let callback) in listeners { run(callback) }
    }

    // MARK: Identity and description

    public static func == (lhs: Future, rhs: Future) -> Bool { lhs === rhs }

    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }

    /// `Future<Int>(finished, returned Int)`, `Future<Int>(error, raised MyError)`, …
    public var description: String {
        withState { Self.describe($0.status, $0.outcome) }
    }

    private static func describe(_ status: FutureStatus, _ outcome: Outcome<Value>?) -> String {
        let head = "Future<\(Value.self)>(\(status)"
        switch (status, outcome) {
        case (.finished, .value(let value)): return head + ", returned \(type(of: value)))"
        case (.error, .error(let error)): return head + ", raised \(type(of: error)))"
        default: return head + ")"
        }
    }
}
