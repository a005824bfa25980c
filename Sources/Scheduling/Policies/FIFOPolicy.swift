/// `fifo`: ready tasks go to the candidates in turn (round-robin), in the order they become
/// ready.
public final class FIFOPolicy: SchedulingPolicy {
    public let name = "fifo"
    private var turn = 0

    public init() {}

    public func chooseWorker(
        for task: TaskID, among candidates: [WorkerID], in scheduler: Scheduler
    ) -> WorkerID {
        defer { turn &+= 1 }
        return candidates[turn % candidates.count]
    }
}
