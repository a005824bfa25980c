import Futures
import Scheduling

/// A client's future for one key: dask's `Future`.
///
/// Every submission returns a new `ClientFuture`, even for a key that exists (two submissions
/// of one pure call are different objects over the same state). When the last one for a key is
/// dropped, the client releases the key. Queries and blocking calls are those of ``Future``.
public final class ClientFuture<Value: Sendable>: Waitable, Hashable, CustomStringConvertible,
    @unchecked Sendable
{
    /// The task's key.
    public let key: String
    /// The task's id, as the cluster's ``SharedTaskKeys`` gave it.
    public let task: TaskID
    /// The shared state of the key.
    public var future: Future<Value> { state.future }
    /// Kept alive by its futures: the cluster holds its clients weakly, and a future's
    /// result comes through its client.
    private let client: Client
    let state: TypedKeyState<Value>

    init(key: String, task: TaskID, state: TypedKeyState<Value>, client: Client) {
        self.key = key
        self.task = task
        self.state = state
        self.client = client
    }

    deinit { client.dropReference(to: task, state: state) }

    public var status: FutureStatus { future.status }
    public var isDone: Bool { future.isDone }
    public var isRunning: Bool { future.isRunning }
    public var isCancelled: Bool { future.isCancelled }
    public var waitStrategy: any WaitStrategy { future.waitStrategy }

    /// The value, waiting (on the cluster's clock) until it is computed.
    public func result(timeout: Duration? = nil) throws -> Value {
        try future.result(timeout: timeout)
    }

    public func exception(timeout: Duration? = nil) throws -> (any Error)? {
        try future.exception(timeout: timeout)
    }

    public var value: Value { get async throws { try await future.value } }

    public func addDoneCallback(
        _ callback: @escaping @Sendable (ClientFuture<Value>) throws -> Void
    ) {
        future.addDoneCallback { [self] _ in try callback(self) }
    }

    /// Cancels the task if it has not started (or, with `force`, even while it runs), here and
    /// on the cluster. Returns what ``Future/cancel()`` returns.
    @discardableResult
    public func cancel(force: Bool = false) -> Bool {
        client.cancel([self], force: force)
    }

    /// Observers see this object change (not the shared state), so `wait` and `asCompleted`
    /// can tell two futures of one key apart.
    public func addObserver(_ observer: any FutureObserver) {
        future.addObserver(Forwarder(owner: self, target: observer))
    }

    public func removeObserver(_ observer: any FutureObserver) {
        future.removeFirstObserver { registered in
            guard let forwarder = registered as? Forwarder else { return false }
            return forwarder.target === observer && forwarder.ownerID == ObjectIdentifier(self)
        }
    }

    private final class Forwarder: FutureObserver, @unchecked Sendable {
        unowned let owner: ClientFuture
        /// The owner's identity, to find this forwarder again without touching the owner.
        let ownerID: ObjectIdentifier
        let target: any FutureObserver

        init(owner: ClientFuture, target: any FutureObserver) {
            self.owner = owner
            ownerID = ObjectIdentifier(owner)
            self.target = target
        }

        func futureDidChange(_: any Waitable) { target.futureDidChange(owner) }
    }

    public static func == (lhs: ClientFuture, rhs: ClientFuture) -> Bool { lhs === rhs }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
    public var description: String { "ClientFuture(\(key), \(status))" }
}

extension ClientFuture: TaskInput {
    public var taskArgument: TaskArgument { .result(ofKey: key) }
}

/// A key's state on the client, shared by every ``ClientFuture`` of the key: its future, and
/// how the scheduler's news moves it. The client's table holds one per key; a class (not a
/// protocol) so that each entry is one reference, not a reference and a witness table.
class KeyState: @unchecked Sendable {
    // `references` is only touched with the client's lock held; `createdAt` is immutable.
    /// The client's request counter when the state was made: cancellation notices caused by
    /// earlier requests are not about it.
    let createdAt: UInt64
    /// Live `ClientFuture`s.
    var references = 0

    init(createdAt: UInt64) { self.createdAt = createdAt }

    /// Moves the future on the scheduler's news (`value`: a finished task's result).
    func apply(_ news: ClientReport, value: (any Sendable)?, backend: any ClusterBackend) {
        preconditionFailure("a key's state has a result type")
    }

    /// Cancels the future here (plain: only if it has not started); whether it is cancelled.
    func cancelHere(force: Bool) -> Bool { preconditionFailure("a key's state has a result type") }

    /// Whether its future is done.
    var isDone: Bool { preconditionFailure("a key's state has a result type") }
}

/// The state of a key whose results are `Value`s.
final class TypedKeyState<Value: Sendable>: KeyState, @unchecked Sendable {
    // Immutable or thread-safe.
    let promise: Promise<Value>
    var future: Future<Value> { promise.future }

    init(createdAt: UInt64, strategy: any WaitStrategy) {
        promise = Promise(waitStrategy: strategy)
        super.init(createdAt: createdAt)
    }

    // Called on the untyped state, it would run unspecialized, looking up the future's
    // generic metadata at run time on every report (a twentieth of a seed sweep);
    // specialized for the result types scenario runs (Int64) and most programs use.
    @_specialize(where Value == Int64)
    @_specialize(where Value == Int)
    @_specialize(where Value == Double)
    @_specialize(where Value == String)
    override func apply(_ news: ClientReport, value: (any Sendable)?, backend: any ClusterBackend) {
        switch news {
        case .running:
            _ = try? promise.markRunning()
        case .finished:
            // A value that is gone already is followed by a lost report.
            guard let value = value as? Value else { return }
            if future.status == .lost { try? promise.requeue() }
            try? promise.succeed(value)
        case .erred(let failure):
            // A lost result whose recomputation raised: lost → pending → error, as the
            // future's table allows (lost has no direct way to error).
            if future.status == .lost { try? promise.requeue() }
            try? promise.fail(backend.error(of: failure) ?? failure)
        case .cancelled:
            promise.forceCancel()
        case .lost:
            try? promise.markLost()
        case .pending:
            if future.status == .running { try? promise.requeue() }
        }
    }

    override var isDone: Bool { future.isDone }

    override func cancelHere(force: Bool) -> Bool {
        force ? promise.forceCancel() : future.cancel()
    }
}
