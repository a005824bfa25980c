/// `least-loaded`: the candidate with the least expected work per thread, ignoring where the
/// task's inputs are.
public final class LeastLoadedPolicy: SchedulingPolicy {
    public let name = "least-loaded"

    public init() {}

    public func chooseWorker(
        for task: TaskID, among candidates: [WorkerID], in scheduler: Scheduler
    ) -> WorkerID {
        candidates.min { a, b in
            load(a, scheduler) < load(b, scheduler)
        }!
    }

    private func load(_ worker: WorkerID, _ scheduler: Scheduler) -> (Nanoseconds, Int, WorkerID) {
        let threads = Nanoseconds(scheduler.threads(of: worker))
        return (
            scheduler.occupancy(of: worker) / threads, scheduler.processingCount(on: worker),
            worker
        )
    }
}
