/// Read access for policies, tests, invariant checks and reports.
extension Scheduler {
    public var taskCount: Int { tasks.count }
    public func key(of task: TaskID) -> String { taskKey(of: task).string }

    /// A known task's key.
    func taskKey(of task: TaskID) -> TaskKey {
        keyLookup?.taskKey(of: task) ?? keys[task.int]
    }
    public func state(of task: TaskID) -> SchedulerTaskState { tasks[task.int].state }
    public func incarnation(of task: TaskID) -> UInt32 { tasks[task.int].incarnation }
    public func dependencies(of task: TaskID) -> [TaskID] { tasks[task.int].dependencies }
    public func dependents(of task: TaskID) -> [TaskID] { tasks[task.int].dependents }
    public func priority(of task: TaskID) -> TaskPriority { tasks[task.int].priority }
    public func processingWorker(of task: TaskID) -> WorkerID? { tasks[task.int].processingOn }
    public func currentRun(of task: TaskID) -> RunID { tasks[task.int].run }
    /// Whether its worker said it started the current run.
    public func hasStarted(_ task: TaskID) -> Bool {
        guard let worker = tasks[task.int].processingOn else { return false }
        let slot = Int(tasks[task.int].processingSlot)
        return workers[worker.int].processingCosts[slot].startedAt != nil
    }
    /// Workers holding the task's result.
    public func replicas(of task: TaskID) -> [WorkerID] { tasks[task.int].replicas }
    public func failure(of task: TaskID) -> TaskFailure? { tasks[task.int].failure }
    /// Clients that want the task's result, in id order.
    public func wanters(of task: TaskID) -> [ClientID] { Array(tasks[task.int].wantedBy.members) }
    public func suspiciousCount(of task: TaskID) -> Int { Int(tasks[task.int].suspicious) }
    /// The result's size: measured, else estimated, else the default data size.
    public func outputSize(of task: TaskID) -> Int64 {
        let size = tasks[task.int].outputSize
        return size >= 0 ? size : configuration.defaultDataSize
    }
    /// Whether a task has no worker restrictions and needs no resources.
    public func isUnrestricted(_ task: TaskID) -> Bool {
        tasks[task.int].restrictions.isEmpty && tasks[task.int].resources.isEmpty
    }

    /// Tasks in `state`.
    public func count(in state: SchedulerTaskState) -> Int { stateCounts[Int(state.rawValue)] }

    public var workerCount: Int { workers.count }
    /// Running workers, in id order.
    public var running: [WorkerID] { runningWorkers }
    public var totalRunningThreads: Int { totalThreads }
    public func name(of worker: WorkerID) -> String { workers[worker.int].name }
    public func worker(named name: String) -> WorkerID? { workerByName[name] }
    public func status(of worker: WorkerID) -> WorkerStatus { workers[worker.int].status }
    public func threads(of worker: WorkerID) -> Int { workers[worker.int].threads }
    public func processing(on worker: WorkerID) -> [TaskID] { workers[worker.int].processing }
    public func processingCount(on worker: WorkerID) -> Int { workers[worker.int].processing.count }
    public func heldBytes(on worker: WorkerID) -> Int64 { workers[worker.int].heldBytes }
    /// The memory limit the worker announced when it joined; `nil` for none.
    public func memoryLimit(of worker: WorkerID) -> Int64? { workers[worker.int].memoryLimit }
    /// Processing slots left before root-ish tasks queue (may be negative).
    public func freeSlots(on worker: WorkerID) -> Int {
        workers[worker.int].slotCapacity - workers[worker.int].processing.count
    }

    /// The duration the scheduler expects for a task (dask's prefix estimate).
    public func expectedDuration(of task: TaskID) -> Nanoseconds {
        if let declared = tasks[task.int].estimatedDuration { return declared }
        return expectedDuration(ofGroup: Int(tasks[task.int].group))
    }

    /// What the scheduler expects a task of the group to take (dask's
    /// `_get_prefix_duration`): the average of those that finished, else twice the longest a
    /// running one has run, else `unknownTaskDuration`.
    func expectedDuration(ofGroup index: Int) -> Nanoseconds {
        if let average = groups[index].averageDuration { return average }
        if let running = groups[index].firstSeenRunning {
            return max((now - running).saturatingMultiply(2), 1)
        }
        return configuration.unknownTaskDuration
    }

    /// Time to move the task's inputs that `worker` does not hold, at the bandwidth the
    /// scheduler assumes (``bandwidth``).
    public func transferCost(of task: TaskID, to worker: WorkerID) -> Nanoseconds {
        var bytes: Int64 = 0
        for dependency in tasks[task.int].dependencies
        where !tasks[dependency.int].replicas.contains(worker) {
            bytes += outputSize(of: dependency)
        }
        return transferTime(bytes)
    }

    func transferTime(_ bytes: Int64) -> Nanoseconds {
        bytes == 0
            ? 0
            : Nanoseconds(
                saturating: (Double(bytes) / bandwidth * 1e9).rounded(.up))
    }

    /// dask's `worker_objective`: estimated start time on the worker, then the bytes it holds.
    public func objective(of task: TaskID, on worker: WorkerID) -> (Nanoseconds, Int64) {
        (
            startDelay(on: worker).saturatingAdd(transferCost(of: task, to: worker)),
            workers[worker.int].heldBytes
        )
    }

    /// How long the worker's assigned work keeps a new task from starting: its occupancy
    /// over its threads.
    private func startDelay(on worker: WorkerID) -> Nanoseconds {
        Nanoseconds(clamping: fullOccupancy(of: worker) / Int128(workers[worker.int].threads))
    }

    /// ``objective(of:on:)`` for every candidate, in their order, in one pass over the inputs
    /// (O(inputs × replicas + candidates) rather than O(inputs × candidates)).
    public func objectives(of task: TaskID, among candidates: [WorkerID])
        -> [(start: Nanoseconds, heldBytes: Int64)]
    {
        let dependencies = tasks[task.int].dependencies
        var total: Int64 = 0
        if !dependencies.isEmpty {
            // Bytes each worker already holds, by worker index, in a table kept all zero
            // between calls rather than made, a cluster's worth of zeros, for each decision.
            if heldBytesScratch.count < workers.count {
                heldBytesScratch.append(
                    contentsOf: repeatElement(0, count: workers.count - heldBytesScratch.count))
            }
            for dependency in dependencies {
                let size = outputSize(of: dependency)
                total += size
                for holder in tasks[dependency.int].replicas {
                    heldBytesScratch[holder.int] += size
                }
            }
        }
        // Labelled as returned: a list of unlabelled pairs was converted, a second list.
        let objectives = candidates.map { worker -> (start: Nanoseconds, heldBytes: Int64) in
            (
                startDelay(on: worker).saturatingAdd(
                    transferTime(
                        total - (dependencies.isEmpty ? 0 : heldBytesScratch[worker.int]))),
                workers[worker.int].heldBytes
            )
        }
        for dependency in dependencies {
            for holder in tasks[dependency.int].replicas { heldBytesScratch[holder.int] = 0 }
        }
        return objectives
    }

    /// Whether the task is root-ish (Semantics: Choosing a worker): unrestricted, and its group is large
    /// (over twice the cluster's threads) with few, small dependency groups.
    public func isRootish(_ task: TaskID) -> Bool {
        guard isUnrestricted(task) else { return false }
        let group = Int(tasks[task.int].group)
        guard groups[group].taskCount > 2 * totalThreads,
            groups[group].dependencyGroups.count < configuration.rootishTaskGroup
        else { return false }
        var dependencyTasks = 0
        for dependencyGroup in groups[group].dependencyGroups {
            dependencyTasks += groups[Int(dependencyGroup)].taskCount
        }
        return dependencyTasks < configuration.rootishTaskGroupDependencies
    }

    /// Steals currently waiting for the victim's answer.
    public var stealsInFlightCount: Int { stealsInFlight.count }
    public func hasStealInFlight(_ task: TaskID) -> Bool { stealsInFlight[task] != nil }

    /// Whether a balancing policy may ask for the task: processing, not scattered data, and
    /// not asked for already in this run (a refused, aborted or pending steal leaves it where
    /// it is until it is dispatched again), and not long-running.
    public func isStealable(_ task: TaskID) -> Bool {
        tasks[task.int].state == .processing && !tasks[task.int].scattered
            && !tasks[task.int].stealRequested && !tasks[task.int].longRunning
    }

    /// dask's `_can_steal`: whether `thief` may take the task. Worker restrictions bind unless
    /// they are loose (`allow_other_workers`); resources always do, against what the thief
    /// supplies (not what it has free now).
    public func canSteal(_ task: TaskID, thief: WorkerID) -> Bool {
        let restrictions = tasks[task.int].restrictions
        if !tasks[task.int].looseRestrictions, !restrictions.isEmpty,
            !restrictions.contains(workers[thief.int].nameID)
        {
            return false
        }
        return workers[thief.int].declares(tasks[task.int].resources)
    }
}
