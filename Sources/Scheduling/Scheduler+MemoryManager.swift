/// dask's Active Memory Manager running its default policy, ReduceReplicas: every period,
/// each result held by more than one worker keeps one replica, or one for each worker its
/// waiting dependents are processing on (a dependent not placed yet counts as one more), and
/// the rest are dropped, from the workers holding the most data first.
extension Scheduler {
    func reduceReplicas() {
        replicated.sort()
        var seen: TaskID?
        replicated.removeAll { task in
            defer { seen = task }
            return task == seen || tasks[task.int].state != .memory
                || tasks[task.int].replicas.count < 2
        }
        // Bytes each worker holds, less what this run drops (dask's `workers_memory`).
        var held = workers.indices.map { workers[$0].heldBytes }
        var drops = [[TaskID]](repeating: [], count: workers.count)
        // Which replica goes first: paused workers, then the most data held, then the lowest id
        // (the id is in the rank, so no two tie).
        func rank(_ worker: WorkerID) -> (Int, Int64, Int32) {
            let paused = workers[worker.int].status != .running ? 1 : 0
            return (paused, held[worker.int], -worker.index)
        }
        // Kept from one task to the next (most tasks need none).
        var needing: [WorkerID] = []
        var dropping: [WorkerID] = []
        for task in replicated {
            needing.removeAll(keepingCapacity: true)
            dropping.removeAll(keepingCapacity: true)
            var unplaced = 0
            for dependent in tasks[task.int].dependents
            where tasks[dependent.int].state.needsDependencies {
                if let worker = tasks[dependent.int].processingOn {
                    if !needing.contains(worker) { needing.append(worker) }
                } else {
                    unplaced += 1
                }
            }
            // The replicas are read in place: a copy alive when one is removed would be copied.
            let replicaCount = tasks[task.int].replicas.count
            var surplus = replicaCount - max(1, needing.count + unplaced)
            while surplus > 0, replicaCount - dropping.count >= 2 {
                var choice: WorkerID?
                for worker in tasks[task.int].replicas
                where !dropping.contains(worker) && !needing.contains(worker)
                    && workers[worker.int].status != .dead
                {
                    if let best = choice, rank(worker) <= rank(best) { continue }
                    choice = worker
                }
                guard let choice else { break }
                dropping.append(choice)
                held[choice.int] -= outputSize(of: task)
                surplus -= 1
            }
            for worker in dropping {
                removeReplica(of: task, at: tasks[task.int].replicas.firstIndex(of: worker)!)
                workers[worker.int].heldCount -= 1
                workers[worker.int].heldBytes -= outputSize(of: task)
                drops[worker.int].append(task)
            }
        }
        replicated.removeAll { tasks[$0.int].replicas.count < 2 }
        for (index, tasks) in drops.enumerated() where !tasks.isEmpty {
            out.append(.removeReplicas(tasks: tasks, worker: WorkerID(index)))
        }
    }
}
