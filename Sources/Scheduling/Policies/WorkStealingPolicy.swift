#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// `work-stealing`: locality placement, plus dask's periodic balancing (Semantics: Work stealing).
///
/// Every interval, idle workers (thieves) take stealable tasks from saturated workers
/// (victims), cheapest-to-move levels first, when the move is worth its transfer and the thief
/// may run the task (its worker restrictions unless loose, and the resources it needs); tasks
/// the victim said it started are left alone (dask has no such message and asks anyway), and
/// a task asked for once is not asked for again until it is dispatched anew. The scheduler
/// then runs the request/confirm protocol, so a steal can cross the victim's completion and
/// the race is handled, not avoided.
public final class WorkStealingPolicy: SchedulingPolicy {
    public let name = "work-stealing"
    public let balanceInterval: Nanoseconds?
    private let placement = LocalityPolicy(name: "work-stealing")

    /// dask's fixed allowance for the latency of a move.
    static let moveLatency: Nanoseconds = 100_000_000
    static let levels = 15

    public init(interval: Nanoseconds = 1_000_000_000) {
        balanceInterval = interval
    }

    public func chooseWorker(
        for task: TaskID, among candidates: [WorkerID], in scheduler: Scheduler
    ) -> WorkerID {
        placement.chooseWorker(for: task, among: candidates, in: scheduler)
    }

    public func balance(in scheduler: Scheduler) -> [StealPlan] {
        let running = scheduler.running
        guard running.count > 1 else { return [] }
        var occupancy = [Nanoseconds](repeating: 0, count: scheduler.workerCount)
        var planned = [Int](repeating: 0, count: scheduler.workerCount)
        var totalOccupancy: Nanoseconds = 0
        for worker in running {
            occupancy[worker.int] = scheduler.occupancy(of: worker)
            totalOccupancy = totalOccupancy.saturatingAdd(occupancy[worker.int])
        }
        let perThread = totalOccupancy / Nanoseconds(max(scheduler.totalRunningThreads, 1))

        func isIdle(_ worker: WorkerID) -> Bool {
            let threads = scheduler.threads(of: worker)
            return scheduler.processingCount(on: worker) + planned[worker.int] < threads
                || occupancy[worker.int] < Nanoseconds(threads).saturatingMultiply(perThread) / 2
        }
        var thieves = running.filter(isIdle)
        guard !thieves.isEmpty, thieves.count < running.count else { return [] }
        let victims = running.filter { worker in
            !thieves.contains(worker)
                && scheduler.processingCount(on: worker) > scheduler.threads(of: worker)
        }.sorted { (occupancy[$0.int], $1) > (occupancy[$1.int], $0) }

        var plans: [StealPlan] = []
        for level in 0..<Self.levels {
            for victim in victims {
                for task in scheduler.processing(on: victim)
                where scheduler.isStealable(task) && !scheduler.hasStarted(task)
                    && Self.level(of: task, in: scheduler) == level
                {
                    guard
                        let thief = cheapestThief(
                            for: task,
                            among: thieves.filter { scheduler.canSteal(task, thief: $0) },
                            scheduler, occupancy)
                    else { continue }
                    let duration = scheduler.expectedDuration(of: task)
                    let thiefStart = start(of: task, on: thief, scheduler, occupancy)
                    let victimStart =
                        occupancy[victim.int] / Nanoseconds(scheduler.threads(of: victim))
                    let victimCost = scheduler.transferCost(of: task, to: victim)
                        .saturatingAdd(duration)
                    guard thiefStart.saturatingAdd(duration) <= victimStart - victimCost / 2 else {
                        continue
                    }
                    plans.append(StealPlan(task: task, thief: thief))
                    occupancy[thief.int] = occupancy[thief.int].saturatingAdd(duration)
                    occupancy[victim.int] -= duration
                    planned[thief.int] += 1
                    planned[victim.int] -= 1
                    if !isIdle(thief) { thieves.removeAll { $0 == thief } }
                    if thieves.isEmpty { return plans }
                }
            }
        }
        return plans
    }

    private func cheapestThief(
        for task: TaskID, among thieves: [WorkerID], _ scheduler: Scheduler,
        _ occupancy: [Nanoseconds]
    ) -> WorkerID? {
        thieves.min { a, b in
            key(task, a, scheduler, occupancy) < key(task, b, scheduler, occupancy)
        }
    }

    private func key(
        _ task: TaskID, _ worker: WorkerID, _ scheduler: Scheduler, _ occupancy: [Nanoseconds]
    ) -> (Nanoseconds, Int64, WorkerID) {
        (start(of: task, on: worker, scheduler, occupancy), scheduler.heldBytes(on: worker), worker)
    }

    /// When the task could start on `worker`: its share of the planned occupancy, then the
    /// transfers of the inputs it lacks.
    private func start(
        of task: TaskID, on worker: WorkerID, _ scheduler: Scheduler, _ occupancy: [Nanoseconds]
    ) -> Nanoseconds {
        (occupancy[worker.int] / Nanoseconds(scheduler.threads(of: worker)))
            .saturatingAdd(scheduler.transferCost(of: task, to: worker))
    }

    /// dask's steal level: 0 for tasks without inputs, else how expensive moving the inputs is
    /// compared with computing, on a log scale; `levels` and above are never stolen.
    package static func level(of task: TaskID, in scheduler: Scheduler) -> Int {
        let dependencies = scheduler.dependencies(of: task)
        if dependencies.isEmpty { return 0 }
        let bytes = dependencies.reduce(Int64(0)) { $0 + scheduler.outputSize(of: $1) }
        let moveCost = Double(scheduler.transferTime(bytes).saturatingAdd(moveLatency))
        let compute = Double(max(scheduler.expectedDuration(of: task), 1))
        let level = Int((log2(moveCost / compute) + 6).rounded())
        return min(max(level, 1), levels)
    }
}
