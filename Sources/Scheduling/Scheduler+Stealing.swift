/// The transactional steal protocol (Semantics: Work stealing): the scheduler asks the victim, and
/// moves the task only when the victim confirms it had not started it.
extension Scheduler {
    /// The scheduler's timers: balancing and the memory manager, each when due.
    func tick() {
        wakeRequested = nil
        if let due = balanceDue, due <= now {
            balanceDue = nil
            for plan in policy.balance(in: self) { requestSteal(plan.task, thief: plan.thief) }
        }
        if let due = memoryManagerDue, due <= now {
            memoryManagerDue = nil
            reduceReplicas()
        }
    }

    /// Asks for the next tick: balancing is due an interval from now while a balancing policy
    /// has processing work to balance; the memory manager at its next period (dask's periodic
    /// callback, from time zero) while a task has more than one replica. A tick is asked for
    /// the earliest of them unless one is pending by then.
    func requestWake() {
        if let interval = policy.balanceInterval, balanceDue == nil, count(in: .processing) > 0 {
            balanceDue = now.saturatingAdd(interval)
        }
        if let interval = configuration.memoryManagerInterval, memoryManagerDue == nil,
            !replicated.isEmpty
        {
            memoryManagerDue = (now / interval).saturatingAdd(1).saturatingMultiply(interval)
        }
        // Run after every event: no array, no allocation.
        var due = balanceDue
        if let memoryManager = memoryManagerDue, memoryManager < due ?? .max { due = memoryManager }
        if let due, due < wakeRequested ?? .max {
            wakeRequested = due
            out.append(.wakeAt(due))
        }
    }

    /// dask's `move_task_request`: records the steal and asks the victim to give the task up.
    func requestSteal(_ task: TaskID, thief: WorkerID) {
        // Scattered data is on its way to the one worker that was sent it: nothing to steal.
        guard tasks[task.int].state == .processing, !tasks[task.int].scattered,
            let victim = tasks[task.int].processingOn, victim != thief,
            workers[thief.int].status == .running, stealsInFlight[task] == nil
        else { return }
        let steal = StealID(nextSteal)
        nextSteal += 1
        tasks[task.int].stealRequested = true
        out.append(.stealRequest(worker: victim, task: task, steal: steal))
        if plantedBugStealsAtOnce(task, thief: thief) { return }
        stealsInFlight[task] = StealRecord(victim: victim, thief: thief, steal: steal)
    }

    /// dask's `move_task_confirm`.
    func stealResponse(
        _ task: TaskID, victim: WorkerID, state: WorkerTaskReport?, steal: StealID
    ) {
        guard let record = stealsInFlight[task] else {
            out.append(.note(task, worker: victim, .stealAlreadyAborted))
            return
        }
        guard record.steal == steal, record.victim == victim else {
            out.append(.note(task, worker: victim, .stealStaleResponse))
            return
        }
        stealsInFlight[task] = nil
        // A thief that paused meanwhile still takes the task, as in dask.
        let thiefGone = !workers[record.thief.int].status.isConnected
        if let state, state.confirmsSteal, !thiefGone {
            out.append(.note(task, worker: record.thief, .stealConfirmed))
            unassign(task)
            assign(task, to: record.thief)
        } else if state == nil || state == .released || state!.confirmsSteal {
            // The victim did not have it, or let it go to a thief that has left meanwhile.
            out.append(.note(task, worker: victim, .stealRescheduled))
            recommend(task, .waiting)
        } else {
            out.append(.note(task, worker: victim, .stealRefused))
        }
    }
}
