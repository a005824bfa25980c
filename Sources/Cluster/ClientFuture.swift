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
    /// The task's key (read from the cluster's keys: not kept here, since a program may hold
    /// a million futures).
    public var key: String { client.backend.taskKeys.key(of: task) }
    /// The task's id, as the cluster's ``SharedTaskKeys`` gave it.
    public let task: TaskID
    /// The shared state of the key.
    public let future: Future<Value>
    /// Kept alive by its futures: the cluster holds its clients weakly, and a future's
    /// result comes through its client.
    fileprivate let client: Client

    init(task: TaskID, future: Future<Value>, client: Client) {
        self.task = task
        self.future = future
        self.client = client
    }

    deinit { client.dropReference(to: task, future: future) }

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
    public var taskArgument: TaskArgument {
        TaskArgument(source: .result(key: client.backend.taskKeys.taskKey(of: task)))
    }
}
