import Orrery

/// `shortest-queue`: a ready task goes to the candidate with the fewest tasks per thread
/// assigned to it (ties: the lowest worker id). Unlike `least-loaded` it ignores how long the
/// tasks are expected to take; unlike `locality` it ignores where the inputs are.
public final class ShortestQueuePolicy: SchedulingPolicy {
    public let name = "shortest-queue"

    public init() {}

    public func chooseWorker(
        for task: TaskID, among candidates: [WorkerID], in scheduler: Scheduler
    ) -> WorkerID {
        candidates.min { a, b in
            let queueA = Double(scheduler.processingCount(on: a)) / Double(scheduler.threads(of: a))
            let queueB = Double(scheduler.processingCount(on: b)) / Double(scheduler.threads(of: b))
            return (queueA, a) < (queueB, b)
        }!
    }
}

extension PolicyFactory {
    /// The factory the command line and scenario runs use to make the policy by name.
    public static let shortestQueue = PolicyFactory(name: "shortest-queue") { _, _ in
        ShortestQueuePolicy()
    }
}
