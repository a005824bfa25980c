/// The transition engine: recommendations run until none remain, each through dask's table.
extension Scheduler {
    func recommend(_ task: TaskID, _ target: SchedulerTaskState) {
        if tasks[task.int].recommended == nil { recommendations.append(task) }
        tasks[task.int].recommended = target
    }

    func runRecommendations() {
        while let task = recommendations.popLast() {
            guard let target = tasks[task.int].recommended else { continue }
            tasks[task.int].recommended = nil
            transition(task, to: target)
        }
    }

    /// Moves a task to `target`: directly where dask's table allows it, else through
    /// `released` (whose own recommendation for the task, if any, wins over `target`).
    func transition(_ task: TaskID, to target: SchedulerTaskState) {
        let from = tasks[task.int].state
        guard from != target, from != .forgotten else { return }
        if from.hasDirectTransition(to: target) {
            perform(task, from: from, to: target)
            return
        }
        precondition(
            from != .released && target != .released,
            "impossible transition \(from) → \(target) for \(taskKey(of: task))")
        perform(task, from: from, to: .released)
        if tasks[task.int].recommended == nil, tasks[task.int].state == .released {
            transition(task, to: target)
        }
    }

    private func perform(_ task: TaskID, from: SchedulerTaskState, to target: SchedulerTaskState) {
        switch target {
        case .waiting where from == .released:
            if tasks[task.int].scattered { abandonScattered(task) } else { releasedToWaiting(task) }
        case .processing, .queued, .noWorker: dispatch(task)
        case .released: toReleased(task, from: from)
        case .erred: toErred(task, from: from)
        case .forgotten: toForgotten(task, from: from)
        case .memory where from == .waiting:
            // dask's deliberate no-op (Semantics: Known races, R12); only a finish message asks for it.
            break
        default:
            preconditionFailure("unhandled transition \(from) → \(target)")
        }
    }

    /// Sets the state, records the transition and keeps the dependency counters in step.
    /// Inlined: every caller names the new state, so what depends on it alone (its count,
    /// whether the dependencies are touched) is settled where it is called.
    @inline(__always) func setState(_ task: TaskID, _ new: SchedulerTaskState) {
        let old = tasks[task.int].state
        tasks[task.int].state = new
        stateCounts[Int(old.rawValue)] -= 1
        stateCounts[Int(new.rawValue)] += 1
        if queuingIsOff, old.awaitsPlacement != new.awaitsPlacement {
            groups[Int(tasks[task.int].group)].unplaced += new.awaitsPlacement ? 1 : -1
        }
        out.append(.transition(task, from: old, to: new))
        if old.needsDependencies != new.needsDependencies || new == .forgotten,
            !tasks[task.int].dependencies.isEmpty
        {
            updateDependencies(of: task, from: old, to: new)
        }
    }

    /// The dependencies' counters after a task moved from `old` to `new`: how many active
    /// dependents each has, and how many live ones once the task is forgotten.
    private func updateDependencies(
        of task: TaskID, from old: SchedulerTaskState, to new: SchedulerTaskState
    ) {
        if old.needsDependencies != new.needsDependencies {
            let step: Int32 = new.needsDependencies ? 1 : -1
            for dependency in tasks[task.int].dependencies {
                tasks[dependency.int].activeDependents += step
                if step < 0 { releaseIfUnneeded(dependency) }
            }
        }
        if new == .forgotten {
            for dependency in tasks[task.int].dependencies {
                tasks[dependency.int].liveDependents -= 1
                releaseIfUnneeded(dependency)
            }
        }
    }

    /// Recommends releasing (or forgetting) a task that nothing needs any more.
    func releaseIfUnneeded(_ task: TaskID) {
        guard !tasks[task.int].isNeeded else { return }
        let unreferenced = tasks[task.int].liveDependents == 0
        switch tasks[task.int].state {
        case .waiting, .queued, .noWorker, .processing, .memory:
            recommend(task, .released)
        case .erred where unreferenced:
            recommend(task, .released)
        case .released where unreferenced:
            recommend(task, .forgotten)
        case .erred, .released, .forgotten:
            break
        }
    }

    private func releasedToWaiting(_ task: TaskID) {
        setState(task, .waiting)
        var waitingOn: Int32 = 0
        var blame: TaskFailure?
        for dependency in tasks[task.int].dependencies {
            switch tasks[dependency.int].state {
            case .memory:
                continue
            case .erred:
                blame = blame ?? tasks[dependency.int].failure
            case .forgotten:
                revive(dependency)
                recommend(dependency, .waiting)
                waitingOn += 1
            case .released:
                recommend(dependency, .waiting)
                waitingOn += 1
            case .waiting, .queued, .noWorker, .processing:
                waitingOn += 1
            }
        }
        tasks[task.int].waitingOn = waitingOn
        if let blame {
            tasks[task.int].failure = blame
            recommend(task, .erred)
        } else if waitingOn == 0 {
            recommend(task, .processing)
        }
    }

    private func toReleased(_ task: TaskID, from: SchedulerTaskState) {
        switch from {
        case .processing:
            let worker = tasks[task.int].processingOn!
            unassign(task)
            if workers[worker.int].status.isConnected {
                out.append(.freeKeys(tasks: [task], worker: worker))
            }
        case .memory:
            dropReplicas(task)
            for dependent in tasks[task.int].dependents {
                switch tasks[dependent.int].state {
                case .processing, .queued, .noWorker: recommend(dependent, .waiting)
                case .waiting: tasks[dependent.int].waitingOn += 1
                default: break
                }
            }
        case .erred:
            tasks[task.int].failure = nil
        default:
            break
        }
        setState(task, .released)
        if from == .memory { report(task, .lost) }
        if tasks[task.int].scattered {
            // It cannot be computed again.
            if tasks[task.int].isNeeded {
                abandonScattered(task)
            } else if tasks[task.int].liveDependents == 0 {
                recommend(task, .forgotten)
            }
            return
        }
        if tasks[task.int].failure != nil {
            // On its way to erred (dask's exception blame): it must not be started again.
        } else if tasks[task.int].isNeeded {
            if from == .processing { report(task, .pending) }
            recommend(task, .waiting)
        } else if tasks[task.int].liveDependents == 0 {
            recommend(task, .forgotten)
        }
    }

    private func toErred(_ task: TaskID, from: SchedulerTaskState) {
        if from == .processing { unassign(task) }
        let failure = tasks[task.int].failure ?? TaskFailure(kind: "Unknown", message: "")
        tasks[task.int].failure = failure
        setState(task, .erred)
        for dependent in tasks[task.int].dependents
        where tasks[dependent.int].state.needsDependencies {
            tasks[dependent.int].failure = failure
            recommend(dependent, .erred)
        }
        report(task, .erred(failure))
    }

    private func toForgotten(_ task: TaskID, from: SchedulerTaskState) {
        if from == .memory { dropReplicas(task) }
        setState(task, .forgotten)
        report(task, .cancelled(reason: "already forgotten"))
        tasks[task.int].wantedBy.removeAll()
    }

    /// Brings a forgotten task back as released: a new incarnation of the same key, with the
    /// same dependencies (a key names one computation).
    func revive(_ task: TaskID) {
        precondition(tasks[task.int].state == .forgotten)
        tasks[task.int].state = .released
        tasks[task.int].incarnation += 1
        tasks[task.int].failure = nil
        stateCounts[Int(SchedulerTaskState.forgotten.rawValue)] -= 1
        stateCounts[Int(SchedulerTaskState.released.rawValue)] += 1
        if queuingIsOff { groups[Int(tasks[task.int].group)].unplaced += 1 }
        for dependency in tasks[task.int].dependencies {
            tasks[dependency.int].liveDependents += 1
        }
    }

    /// Tells every client that wants the task. The news is made only if one does: some are
    /// boxed (an allocation), and a task is let go of by its last client before it is
    /// forgotten.
    func report(_ task: TaskID, _ news: @autoclosure () -> ClientReport) {
        guard !tasks[task.int].wantedBy.isEmpty else { return }
        let news = news()
        for client in tasks[task.int].wantedBy.members {
            out.append(.report(news: news, task: task, client: client))
        }
    }

    /// Frees every replica of a task's result.
    func dropReplicas(_ task: TaskID) {
        let size = outputSize(of: task)
        for holder in tasks[task.int].replicas {
            workers[holder.int].heldCount -= 1
            workers[holder.int].heldBytes -= size
            if workers[holder.int].status.isConnected {
                out.append(.freeKeys(tasks: [task], worker: holder))
            }
        }
        tasks[task.int].replicas.removeAll()
    }

    /// Takes one replica off a task's list; removing the last leaves an empty list rather
    /// than a copy of a shared one.
    func removeReplica(of task: TaskID, at index: Int) {
        switch tasks[task.int].replicas.count {
        case 1:
            tasks[task.int].replicas = []
        case 2:
            // Back to the remaining worker's shared one-element list: the record's own is freed.
            tasks[task.int].replicas = soleReplica[tasks[task.int].replicas[1 - index].int]
        default:
            tasks[task.int].replicas.remove(at: index)
        }
    }

    func addReplica(_ task: TaskID, on worker: WorkerID) {
        guard !tasks[task.int].replicas.contains(worker) else { return }
        if tasks[task.int].replicas.count == 1, configuration.memoryManagerInterval != nil {
            replicated.append(task)
        }
        if tasks[task.int].replicas.isEmpty {
            // Most results have one replica: the worker's one-element list is shared, not
            // allocated per task (a second replica copies it).
            tasks[task.int].replicas = soleReplica[worker.int]
        } else {
            tasks[task.int].replicas.append(worker)
        }
        workers[worker.int].holding.append(task)
        workers[worker.int].heldCount += 1
        workers[worker.int].heldBytes += outputSize(of: task)
        if workers[worker.int].holding.count > 2 * workers[worker.int].heldCount + 16 {
            workers[worker.int].holding.removeAll { !tasks[$0.int].replicas.contains(worker) }
        }
    }
}
