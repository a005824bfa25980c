/// `critical-path`: HEFT-like. Tasks are ranked by their upward rank (their own expected
/// duration plus the longest chain of transfers and durations below them), longest first, and
/// each goes to the candidate where it would finish earliest.
public final class CriticalPathPolicy: SchedulingPolicy {
    public let name = "critical-path"
    /// Upward ranks by task index; tasks not ranked yet are absent.
    private var ranks: [Nanoseconds] = []

    public init() {}

    public func prioritize(_ tasks: [TaskID], in scheduler: Scheduler) {
        if ranks.count < scheduler.taskCount {
            ranks += Array(repeating: -1, count: scheduler.taskCount - ranks.count)
        }
        for task in tasks where ranks[task.int] < 0 { rank(from: task, scheduler) }
        for task in tasks { scheduler.setRank(-ranks[task.int], of: task) }
    }

    /// Computes ranks below `root` depth-first with an explicit stack (graphs can be deep).
    private func rank(from root: TaskID, _ scheduler: Scheduler) {
        var stack: [(TaskID, expanded: Bool)] = [(root, false)]
        while let (task, expanded) = stack.popLast() {
            if ranks[task.int] >= 0 { continue }
            let dependents = scheduler.dependents(of: task)
            if !expanded {
                stack.append((task, true))
                for dependent in dependents where ranks[dependent.int] < 0 {
                    stack.append((dependent, false))
                }
                continue
            }
            let transfer = scheduler.transferTime(scheduler.outputSize(of: task))
            let below = dependents.map { max(ranks[$0.int], 0) + transfer }.max() ?? 0
            ranks[task.int] = scheduler.expectedDuration(of: task) + below
        }
    }

    public func chooseWorker(
        for task: TaskID, among candidates: [WorkerID], in scheduler: Scheduler
    ) -> WorkerID {
        // Earliest finish = earliest start (occupancy and transfers) + the task's duration,
        // which is the same on every worker, so the earliest start decides.
        let objectives = scheduler.objectives(of: task, among: candidates)
        return candidates.indices.min { a, b in
            (objectives[a].start, candidates[a]) < (objectives[b].start, candidates[b])
        }.map { candidates[$0] }!
    }
}
