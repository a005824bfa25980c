import Futures
import Scheduling

/// What a client needs from a cluster, whichever way it runs (simulated or on threads).
///
/// A backend delivers the client's messages to the scheduler, runs task bodies on its workers,
/// keeps their results, and hands the scheduler's reports back to the client.
public protocol ClusterBackend: AnyObject, Sendable {
    /// How blocking calls on this cluster's futures wait.
    var waitStrategy: any WaitStrategy { get }

    /// The ids of the cluster's task keys: a client interns the keys it submits here, and
    /// speaks in ids from then on.
    var taskKeys: SharedTaskKeys { get }

    /// Registers a client; its reports go to `receiver` from now on. The backend holds the
    /// receiver weakly (see ``WeakReceiver``).
    func connect(_ receiver: any ClientReceiver) -> ClientID

    /// Sends a client's message to the scheduler. `bodies` are the bodies of a graph update's
    /// tasks, in the order of its tasks (empty for any other message).
    func send(_ event: SchedulerEvent, bodies: BodyBatch, from client: ClientID)

    /// Tells the scheduler that the client holds no future of `task` any more (dask's
    /// `client-releases-keys`). Releases made together travel as one message, as dask's
    /// batched stream carries them: dropping a million futures sends one message, not a
    /// million.
    func release(_ task: TaskID, from client: ClientID)

    /// The error object a task's body threw, when the failure came from one.
    func error(of failure: TaskFailure) -> (any Error)?

    /// A fresh key suffix for an impure task, from the backend's seeded stream.
    func freshToken() -> String

    /// Returns once the cluster's model time reaches `time`, as a client that waits for a
    /// moment: a simulation runs its events up to then, real threads sleep. Returns false if
    /// the run stopped before (a simulation that failed): nothing more will happen.
    func sleep(until time: Nanoseconds) -> Bool

    /// Waits until nothing is left to happen, or `timeout` (of real time) passes; whether the
    /// cluster went quiet. A simulation runs its events to the end.
    func waitUntilQuiet(timeout: Duration?) -> Bool
}

/// Receives the scheduler's reports for one client.
public protocol ClientReceiver: AnyObject, Sendable {
    /// News about a task; a `finished` report carries the result's value, read from a worker
    /// holding it when the report left (`nil` if none held it any more: a `lost` report
    /// follows).
    func receive(task: TaskID, news: ClientReport, value: (any Sendable)?)

    /// Tasks whose futures here are not done (pending, running or lost), in id order: once
    /// nothing is left to happen, each is a future no report will ever settle.
    var unsettledTasks: [TaskID] { get }
}

/// A backend's hold on one of its clients. Weak because the client holds its backend: a strong
/// hold both ways would keep every dropped client and cluster, with all their futures and
/// results, alive until the process ends. Reports for a client that is gone are dropped.
public struct WeakReceiver: Sendable {
    /// The client, while something else keeps it.
    public weak var receiver: (any ClientReceiver)?

    public init(_ receiver: any ClientReceiver) { self.receiver = receiver }
}
