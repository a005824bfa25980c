import Scheduling

/// How long each of dask's batched streams (`BatchedSend`) holds a message back: one that
/// finds its stream's last send at least `interval` ago leaves at once; one sent sooner waits,
/// with everything else sent meanwhile, and they all leave together at the last send plus the
/// interval, as one network delivery whose messages are handled in the order sent. Zero turns
/// batching off for that direction: every message travels on its own.
public struct BatchIntervals: Sendable, Hashable {
    public var clientToScheduler: Nanoseconds
    public var schedulerToClient: Nanoseconds
    public var schedulerToWorker: Nanoseconds
    public var workerToScheduler: Nanoseconds

    public init(
        clientToScheduler: Nanoseconds, schedulerToClient: Nanoseconds,
        schedulerToWorker: Nanoseconds, workerToScheduler: Nanoseconds
    ) {
        self.clientToScheduler = clientToScheduler
        self.schedulerToClient = schedulerToClient
        self.schedulerToWorker = schedulerToWorker
        self.workerToScheduler = workerToScheduler
    }

    /// distributed 2026.x's intervals: client → scheduler 10 ms, scheduler → client 2 ms,
    /// scheduler → worker 5 ms, worker → scheduler 2 ms.
    public static let dask = BatchIntervals(
        clientToScheduler: 10_000_000, schedulerToClient: 2_000_000,
        schedulerToWorker: 5_000_000, workerToScheduler: 2_000_000)

    /// Each direction's interval with the name a scenario gives it.
    public static var directions: [(name: String, path: WritableKeyPath<Self, Nanoseconds>)] {
        [
            ("client_to_scheduler", \.clientToScheduler),
            ("scheduler_to_client", \.schedulerToClient),
            ("scheduler_to_worker", \.schedulerToWorker),
            ("worker_to_scheduler", \.workerToScheduler),
        ]
    }

    /// No batching: every message travels on its own.
    public static let none = BatchIntervals(
        clientToScheduler: 0, schedulerToClient: 0, schedulerToWorker: 0, workerToScheduler: 0)
}
