/// Scattered data (dask's `scatter` and `update_data`): tasks with no computation, whose data a
/// client placed on workers.
///
/// A scattered task is processing on its worker from the moment the scheduler sends it the
/// data until the worker confirms, as a computed task is until it finishes; so a worker that
/// dies with the data on its way, or a dependent submitted meanwhile, is handled by the same
/// transitions. It is never run: when its data is lost, or it is wanted again after it was let
/// go, its clients lose it, as dask forgets lost scattered data.
extension Scheduler {
    func scatter(client: ClientID, data: [ScatterItem], workers names: [String]) {
        let targets =
            names.isEmpty
            ? runningWorkers : runningWorkers.filter { names.contains(workers[$0.int].name) }
        var next = 0
        var graphTasks: [TaskID] = []
        defer { out.append(.graphAccepted(graphTasks)) }
        for item in data {
            let task = scatteredTask(item)
            graphTasks.append(task)
            tasks[task.int].wantedBy.insert(client)
            switch tasks[task.int].state {
            case .released where tasks[task.int].scattered:
                guard !targets.isEmpty else {
                    tasks[task.int].failure = TaskFailure(
                        kind: "NoValidWorkerError",
                        message: "no running worker to scatter \(item.key) to")
                    recommend(task, .erred)
                    continue
                }
                place(task, on: targets[next % targets.count])
                next += 1
            case .released:
                // A computed task under the same key: it is wanted, so it runs.
                recommend(task, .waiting)
            default:
                reportOutcome(of: task, to: client)
            }
        }
    }

    /// The task for a scattered item: a new one, a forgotten one brought back with the new
    /// data, or whatever the key already names.
    private func scatteredTask(_ item: ScatterItem) -> TaskID {
        let task = item.id
        if isKnown(task) {
            if tasks[task.int].state == .forgotten {
                revive(task)
                tasks[task.int].scattered = true
                tasks[task.int].outputSize = item.size
            }
            return task
        }
        withUnsafePointer(
            to: TaskSpec(id: task, key: TaskKey(item.key), estimatedOutputSize: item.size),
            createTask)
        tasks[task.int].scattered = true
        return task
    }

    /// Sends a scattered task's data to a worker; it is processing there until the worker
    /// confirms (with a task-finished message under this run).
    private func place(_ task: TaskID, on worker: WorkerID) {
        // Through waiting, as dask's table has no released → processing; it waits on nothing.
        setState(task, .waiting)
        occupy(worker, with: task, charge: 0)
        out.append(
            .updateData(
                worker: worker, task: task, run: tasks[task.int].run, size: outputSize(of: task)))
    }

    /// A scattered task that is wanted but not in memory, and never will be: its clients and
    /// the clients of its dependents that have not run are told it is cancelled.
    func abandonScattered(_ task: TaskID) {
        var visited: Set<TaskID> = [task]
        for dependent in tasks[task.int].dependents
        where tasks[dependent.int].state.needsDependencies {
            cancel(
                dependent, for: nil, force: true, request: 0, reason: "a scattered input was lost",
                visited: &visited)
        }
        report(task, .cancelled(reason: "its scattered data was lost"))
        tasks[task.int].wantedBy.removeAll()
        releaseIfUnneeded(task)
    }
}
