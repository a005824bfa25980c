/// Task completion messages, handled as dask's `stimulus_task_finished` and
/// `stimulus_task_erred` (Semantics: Completion messages).
extension Scheduler {
    func taskFinished(
        _ task: TaskID, worker: WorkerID, run: RunID, size: Int64, duration: Nanoseconds
    ) {
        guard workers[worker.int].status != .dead else {
            if plantedBug(
                .acceptResultFromRemovedWorker, takesFinishOf: task, worker: worker, size: size,
                duration: duration)
            {
                return
            }
            out.append(.note(task, worker: worker, .fromRemovedWorker))
            return
        }
        let state = tasks[task.int].state
        switch state {
        case .released, .queued, .noWorker, .forgotten, .erred:
            out.append(.note(task, worker: worker, .notProcessing))
            out.append(.freeKeys(tasks: [task], worker: worker))
            return
        case .waiting, .processing, .memory:
            break
        }
        if run != tasks[task.int].run {
            if plantedBug(
                .acceptResultOfCancelledRun, takesFinishOf: task, worker: worker, size: size,
                duration: duration)
            {
                return
            }
            out.append(.note(task, worker: worker, .staleRun))
            if state == .processing, tasks[task.int].processingOn == worker {
                recommend(task, .released)
            } else {
                out.append(.freeKeys(tasks: [task], worker: worker))
            }
            return
        }
        switch state {
        case .memory:
            out.append(.note(task, worker: worker, .extraReplica))
            addReplica(task, on: worker)
        case .waiting:
            out.append(.note(task, worker: worker, .finishedWhileWaiting))
        default:
            processingToMemory(task, worker: worker, size: size, duration: duration)
        }
    }

    /// dask's `handle_long_running`: a current run's task that seceded stops counting in its
    /// worker's occupancy and slots (freeing one for queued work) and is no longer stolen;
    /// the time it ran before seceding counts toward its group's average duration.
    func longRunning(
        _ task: TaskID, worker: WorkerID, run: RunID, computeDuration: Nanoseconds?
    ) {
        guard tasks[task.int].state == .processing, tasks[task.int].processingOn == worker,
            tasks[task.int].run == run, !tasks[task.int].longRunning
        else { return }
        if let computeDuration { learnDuration(computeDuration, of: task) }
        tasks[task.int].longRunning = true
        workers[worker.int].longRunning += 1
        let slot = Int(tasks[task.int].processingSlot)
        workers[worker.int].occupancy -= Int128(workers[worker.int].processingCosts[slot].charge)
        workers[worker.int].processingCosts[slot].charge = 0
        if tasks[task.int].countedInGroup { uncountInGroup(task, on: worker) }
        if workers[worker.int].status == .running,
            workers[worker.int].busySlots < workers[worker.int].slotCapacity
        {
            freeSlots += 1
            refreshFreeSlotMembership(of: worker)
        }
    }

    /// Folds a measured duration into the task's group average (half the new, half the old).
    func learnDuration(_ duration: Nanoseconds, of task: TaskID) {
        let group = Int(tasks[task.int].group)
        let average = groups[group].averageDuration
        groups[group].averageDuration =
            average.map {
                let (sum, overflow) = $0.addingReportingOverflow(duration)
                return overflow ? $0 / 2 + duration / 2 : sum / 2
            } ?? duration
    }

    func processingToMemory(
        _ task: TaskID, worker: WorkerID, size: Int64, duration: Nanoseconds
    ) {
        unassign(task)
        if !tasks[task.int].scattered {
            learnDuration(duration, of: task)
            let group = Int(tasks[task.int].group)
            groups[group].firstSeenRunning = nil
        }
        tasks[task.int].outputSize = size
        addReplica(task, on: worker)
        setState(task, .memory)

        var ready: [TaskID] = []
        for dependent in tasks[task.int].dependents where tasks[dependent.int].state == .waiting {
            tasks[dependent.int].waitingOn -= 1
            if tasks[dependent.int].waitingOn == 0 { ready.append(dependent) }
        }
        // Most finishes free no dependent, or one: sorting an empty list still copied it.
        if ready.count > 1 { ready.sort { tasks[$0.int].priority > tasks[$1.int].priority } }
        for dependent in ready { recommend(dependent, .processing) }
        report(task, .finished)
        releaseIfUnneeded(task)
    }

    func taskErred(_ task: TaskID, worker: WorkerID, run: RunID, failure: TaskFailure) {
        let record = tasks[task.int]
        guard record.state == .processing, workers[worker.int].status != .dead else {
            out.append(.note(task, worker: worker, .notProcessing))
            return
        }
        guard run == record.run, record.processingOn == worker else {
            out.append(.note(task, worker: worker, .staleRun))
            if record.processingOn == worker { recommend(task, .released) }
            return
        }
        if record.retriesLeft > 0 {
            tasks[task.int].retriesLeft -= 1
            recommend(task, .waiting)
        } else {
            tasks[task.int].failure = failure
            recommend(task, .erred)
        }
    }
}
