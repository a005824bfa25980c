/// Why a task failed, as the scheduler passes it on: the kind of error and its message.
///
/// The scheduler carries errors as values so its commands can be compared and traced; the
/// layer that ran the task keeps the original error object to hand to the future.
public struct TaskFailure: Error, Hashable, Sendable, CustomStringConvertible {
    /// The error's kind, such as `ValueError` or `KilledWorker`.
    public var kind: String
    public var message: String
    /// Set by the backend that ran the task to find the original error object again (0: none).
    public var origin: UInt64

    public init(kind: String, message: String, origin: UInt64 = 0) {
        self.kind = kind
        self.message = message
        self.origin = origin
    }

    /// dask's KilledWorker: the task's workers died while it ran more than `allowedFailures`
    /// times.
    public static func killedWorker(key: String, lastWorker: String, allowedFailures: Int)
        -> TaskFailure
    {
        TaskFailure(
            kind: "KilledWorker",
            message: "Attempted to run task '\(key)' on \(allowedFailures + 1) different workers, "
                + "but all those workers died while running it. The last worker that attempted "
                + "to run the task was \(lastWorker).")
    }

    /// No worker fits the task's restrictions or resources, and none may join.
    public static func noValidWorker(key: String) -> TaskFailure {
        TaskFailure(kind: "NoValidWorker", message: "no worker can run task '\(key)'")
    }

    public var description: String { "\(kind): \(message)" }
}
