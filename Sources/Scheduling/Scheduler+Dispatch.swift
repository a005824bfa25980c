/// Sending ready tasks to workers, queuing root-ish tasks, and the slots that drain the queue.
extension Scheduler {
    private enum Decision {
        case worker(WorkerID)
        case queue
        case noWorker
    }

    /// waiting, queued or no-worker → processing on the policy's worker, or → queued when every
    /// worker is saturated (root-ish tasks), or → no-worker when no worker fits.
    func dispatch(_ task: TaskID) {
        switch decideWorker(for: task) {
        case .worker(let worker):
            assign(task, to: worker)
        case .queue:
            if tasks[task.int].state != .queued { setState(task, .queued) }
            queue.insert(task) { tasks[$0.int].priority }
            queuePeak = max(queuePeak, queue.count)
        case .noWorker:
            if tasks[task.int].state != .noWorker { setState(task, .noWorker) }
        }
    }

    private func decideWorker(for task: TaskID) -> Decision {
        guard !runningWorkers.isEmpty else { return .noWorker }
        // Only a restricted task has a list of its own (the running workers' list is not
        // copied for one that may never look at it).
        let restrictedTo: [WorkerID]? = isUnrestricted(task) ? nil : validWorkers(for: task)
        if restrictedTo?.isEmpty == true { return .noWorker }
        // A queued task leaves the queue only for a free slot, even when the cluster grew and
        // its group is no longer root-ish (dask's queued→processing).
        if configuration.workerSaturation.isFinite,
            tasks[task.int].state == .queued || isRootish(task)
        {
            // Root-ish tasks are unrestricted: any worker with a free slot will do. With one
            // such worker (a busy cluster's usual case, a slot just freed) there is no choice
            // to make, and no list of candidates to make for it.
            if workersWithFreeSlots.count <= 1 {
                return workersWithFreeSlots.first.map(Decision.worker) ?? .queue
            }
            return .worker(choose(task, among: workersWithFreeSlots.members))
        }
        return .worker(choose(task, among: restrictedTo ?? runningWorkers))
    }

    private func choose(_ task: TaskID, among candidates: [WorkerID]) -> WorkerID {
        let worker =
            candidates.count == 1
            ? candidates[0] : policy.chooseWorker(for: task, among: candidates, in: self)
        precondition(
            candidates.contains(worker),
            "policy \(policy.name) chose \(worker), which is not among the candidates")
        return worker
    }

    /// Running workers that satisfy the task's restrictions and declare its resources; with
    /// loose restrictions and none fitting, any worker that declares the resources.
    private func validWorkers(for task: TaskID) -> [WorkerID] {
        // The two lists, not the whole record: copying it would retain each of its lists.
        let restrictions = tasks[task.int].restrictions
        let resources = tasks[task.int].resources
        let fitting = runningWorkers.filter { worker in
            (restrictions.isEmpty || restrictions.contains(workers[worker.int].nameID))
                && workers[worker.int].declares(resources)
        }
        if fitting.isEmpty, tasks[task.int].looseRestrictions, !restrictions.isEmpty {
            return runningWorkers.filter { workers[$0.int].declares(resources) }
        }
        return fitting
    }

    /// Puts a task on a worker under a fresh run id and sends it there.
    func assign(_ task: TaskID, to worker: WorkerID) {
        // A declared duration is fixed; a learned one is the group's, counted as it changes.
        let declared = tasks[task.int].estimatedDuration
        occupy(
            worker, with: task, charge: (declared ?? 0) + transferCost(of: task, to: worker),
            countedInGroup: declared == nil)
        out.append(
            .compute(
                ComputeRequest(
                    worker: worker, task: task, run: tasks[task.int].run,
                    priority: tasks[task.int].priority,
                    inputs: tasks[task.int].dependencies.map { dependency in
                        ComputeRequest.Input(
                            task: dependency, holders: tasks[dependency.int].replicas,
                            size: outputSize(of: dependency))
                    },
                    resources: tasks[task.int].resources)))
    }

    /// Makes a task processing on a worker under a fresh run id, adding `charge` to the
    /// worker's fixed occupancy and, when `countedInGroup`, the task to its group's count
    /// there (both taken off again by ``unassign(_:)``).
    func occupy(
        _ worker: WorkerID, with task: TaskID, charge: Nanoseconds, countedInGroup: Bool = false
    ) {
        tasks[task.int].processingOn = worker
        tasks[task.int].stealRequested = false
        tasks[task.int].processingSlot = workers[worker.int].take(task, charge: charge)
        if countedInGroup { countInGroup(task, on: worker) }
        // A paused worker (a thief that paused meanwhile) has no slots to take.
        if workers[worker.int].status == .running,
            workers[worker.int].busySlots <= workers[worker.int].slotCapacity
        {
            freeSlots -= 1
            refreshFreeSlotMembership(of: worker)
        }
        for need in tasks[task.int].resources {
            workers[worker.int].used[need.id] += need.amount
        }
        tasks[task.int].run = RunID(nextRun)
        nextRun += 1
        if tasks[task.int].state != .processing { setState(task, .processing) }
    }

    /// Takes a processing task off its worker (before it leaves `processing`, or moves).
    func unassign(_ task: TaskID) {
        guard let worker = tasks[task.int].processingOn else { return }
        let slot = Int(tasks[task.int].processingSlot)
        if let moved = workers[worker.int].giveUp(slot: slot) {
            tasks[moved.int].processingSlot = Int32(slot)
        }
        if tasks[task.int].countedInGroup { uncountInGroup(task, on: worker) }
        // A long-running task gave its slot back when it seceded.
        let heldASlot = !tasks[task.int].longRunning
        if !heldASlot {
            tasks[task.int].longRunning = false
            workers[worker.int].longRunning -= 1
        }
        if heldASlot, workers[worker.int].status == .running,
            workers[worker.int].busySlots < workers[worker.int].slotCapacity
        {
            freeSlots += 1
            refreshFreeSlotMembership(of: worker)
        }
        for need in tasks[task.int].resources {
            workers[worker.int].used[need.id] -= need.amount
        }
        tasks[task.int].processingOn = nil
        tasks[task.int].processingSlot = -1
        if !stealsInFlight.isEmpty { stealsInFlight[task] = nil }
    }

    /// Whether a worker runs and has a slot free, by the record's own rule for open slots,
    /// given its fields one by one: a computed property of the record, read through the
    /// table, copied the whole record (retaining its lists).
    private func hasFreeSlot(_ worker: WorkerID) -> Bool {
        workers[worker.int].status == .running
            && WorkerRecord.openSlots(
                capacity: workers[worker.int].slotCapacity,
                processing: workers[worker.int].processing.count,
                longRunning: workers[worker.int].longRunning) > 0
    }

    /// Keeps ``workersWithFreeSlots`` in step with a worker's slots and status.
    func refreshFreeSlotMembership(of worker: WorkerID) {
        if hasFreeSlot(worker) {
            workersWithFreeSlots.insert(worker)
        } else {
            workersWithFreeSlots.remove(worker)
        }
    }

    /// Moves queued tasks to processing while some worker has a free slot (Semantics: Queuing).
    func fillFreeSlots() {
        while freeSlots > 0, let task = queue.popMin(by: { tasks[$0.int].priority }) {
            guard tasks[task.int].state == .queued else { continue }
            transition(task, to: .processing)
            runRecommendations()
            if tasks[task.int].state == .queued { break }
        }
        // A queue drained to a quarter of its peak gives back the storage a large graph made
        // it grow to (a million tasks queued in order hold 4 MB, out of order 32 MB), while
        // the results of the tasks that left it pile up; rebuilding costs a pass over what is
        // left, once per halving or so.
        if queue.isEmpty {
            queue = TaskQueue()
            queuePeak = 0
        } else if queuePeak >= 4096, queue.count * 4 <= queuePeak {
            queue.shrink()
            queuePeak = queue.count
        }
    }
}
