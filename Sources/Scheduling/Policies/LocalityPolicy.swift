/// `locality`: dask's `decide_worker` (Semantics: Choosing a worker). A task with inputs goes to the
/// worker, among those holding one of its inputs, with the earliest estimated start counting
/// the transfer of what it lacks; a root-ish task to the least busy worker with a free slot,
/// or, with queuing off, to its group's current worker for that worker's share of the group;
/// other tasks without inputs spread over idle workers.
public final class LocalityPolicy: SchedulingPolicy {
    public let name: String
    private var assigned = 0
    /// The last decision's candidates holding an input: one list reused, not one made a task.
    private var holders: [WorkerID] = []

    public init() { name = "locality" }

    /// For policies that build on locality under another name.
    init(name: String) { self.name = name }

    public func chooseWorker(
        for task: TaskID, among candidates: [WorkerID], in scheduler: Scheduler
    ) -> WorkerID {
        defer { assigned &+= 1 }
        let dependencies = scheduler.dependencies(of: task)
        if scheduler.isRootish(task) {
            if scheduler.queuingIsOff {
                return coAssign(task, among: candidates, in: scheduler)
            }
            return candidates.min { a, b in
                saturation(a, scheduler) < saturation(b, scheduler)
            }!
        }
        if dependencies.isEmpty, scheduler.isUnrestricted(task) {
            return spread(among: candidates, in: scheduler)
        }
        collectHolders(of: dependencies, among: candidates, in: scheduler)
        let pool = holders.isEmpty ? candidates : holders
        if pool.count == 1 { return pool[0] }
        return best(for: task, among: pool, in: scheduler)
    }

    /// The worker where the task would start soonest, counting what it must fetch; among
    /// equals, the one holding fewer bytes, then the lowest id (dask's `worker_objective`).
    private func best(for task: TaskID, among pool: [WorkerID], in scheduler: Scheduler)
        -> WorkerID
    {
        let objectives = scheduler.objectives(of: task, among: pool)
        return pool.indices.min { a, b in
            (objectives[a].start, objectives[a].heldBytes, pool[a])
                < (objectives[b].start, objectives[b].heldBytes, pool[b])
        }.map { pool[$0] }!
    }

    /// A root-ish task with queuing off (dask's `decide_worker_rootish_queuing_disabled`):
    /// its group's tasks go to one worker for that worker's share of them (the group's size
    /// over the cluster's threads, times the worker's threads), so that siblings land
    /// together; then the best of the idle workers (fewer tasks than threads), or of all,
    /// takes the next share. A worker is chosen once a share, not once a task.
    private func coAssign(_ task: TaskID, among candidates: [WorkerID], in scheduler: Scheduler)
        -> WorkerID
    {
        let group = Int(scheduler.tasks[task.int].group)
        let worker: WorkerID
        if let last = scheduler.groups[group].lastWorker,
            scheduler.groups[group].lastWorkerTasksLeft > 0, isCandidate(last, among: candidates)
        {
            worker = last
        } else {
            worker = best(for: task, among: idleOrAll(candidates, in: scheduler), in: scheduler)
            scheduler.groups[group].lastWorkerTasksLeft =
                scheduler.groups[group].taskCount * scheduler.threads(of: worker)
                / scheduler.totalThreads
        }
        // Cleared with the group's last task still to be placed (this one).
        scheduler.groups[group].lastWorker = scheduler.groups[group].unplaced > 1 ? worker : nil
        scheduler.groups[group].lastWorkerTasksLeft -= 1
        return worker
    }

    /// The idle candidates (fewer tasks than threads), or all of them when none is idle: the
    /// pool dask chooses a task without inputs from.
    private func idleOrAll(_ candidates: [WorkerID], in scheduler: Scheduler) -> [WorkerID] {
        let idle = candidates.filter {
            scheduler.processingCount(on: $0) < scheduler.threads(of: $0)
        }
        return idle.isEmpty ? candidates : idle
    }

    /// Whether `worker` is among the candidates (in id order, as the scheduler gives them):
    /// a search, since a cluster may have thousands.
    private func isCandidate(_ worker: WorkerID, among candidates: [WorkerID]) -> Bool {
        let position = candidates.orderedPosition(of: worker)
        return position < candidates.count && candidates[position] == worker
    }

    /// Sets ``holders`` to the candidates holding one of `dependencies`, in id order (the
    /// candidates' order). Found from the holders' side: a task's inputs have a few holders,
    /// and a cluster may have thousands of candidates.
    private func collectHolders(
        of dependencies: [TaskID], among candidates: [WorkerID], in scheduler: Scheduler
    ) {
        holders.removeAll(keepingCapacity: true)
        for dependency in dependencies {
            for worker in scheduler.replicas(of: dependency)
            where !holders.contains(worker) && isCandidate(worker, among: candidates) {
                holders.append(worker)
            }
        }
        holders.sort()
    }

    private func saturation(_ worker: WorkerID, _ scheduler: Scheduler) -> (Double, WorkerID) {
        (
            Double(scheduler.processingCount(on: worker))
                / Double(scheduler.threads(of: worker)), worker
        )
    }

    /// No inputs, no restrictions (dask's `decide_worker_non_rootish`): among idle workers
    /// (fewer tasks than threads), or all when none is idle, with fewer than 20 the least
    /// occupied, taking turns among unoccupied ones; with more, simply the next in turn.
    private func spread(among candidates: [WorkerID], in scheduler: Scheduler) -> WorkerID {
        let pool = idleOrAll(candidates, in: scheduler)
        if pool.count >= 20 { return pool[assigned % pool.count] }
        let start = assigned % pool.count
        var best = pool[start]
        for offset in 0..<pool.count {
            let worker = pool[(start + offset) % pool.count]
            if scheduler.occupancy(of: worker) == 0 { return worker }
            if scheduler.occupancy(of: worker) < scheduler.occupancy(of: best) { best = worker }
        }
        return best
    }
}
