/// Consistency checks, run after every event in tests (as dask's `validate_state`).
extension Scheduler {
    /// Every broken invariant, described; empty when the scheduler is consistent.
    public func invariantViolations() -> [String] {
        // Read through buffer pointers: reading the class's arrays directly retained and
        // released a list per task and check, which dominated runs that check every event.
        tasks.withUnsafeBufferPointer { tasks in
            workers.withUnsafeBufferPointer { workers in
                invariantViolations(tasks: tasks, workers: workers)
            }
        }
    }

    private func invariantViolations(
        tasks: UnsafeBufferPointer<TaskRecord>, workers: UnsafeBufferPointer<WorkerRecord>
    ) -> [String] {
        var problems: [String] = []
        var counts = stateCounts.map { _ in 0 }
        // One pass, fields read in place and lists walked by index: this runs after every
        // event in tests and explore, and copying records or lists dominated both.
        for index in tasks.indices {
            let task = TaskID(index)
            // Formatted only for a problem.
            var name: String { "\(tasks[index].key) (\(tasks[index].state))" }
            counts[Int(tasks[index].state.rawValue)] += 1
            var active: Int32 = 0
            var live: Int32 = 0
            for position in tasks[index].dependents.indices {
                let state = tasks[tasks[index].dependents[position].int].state
                if state.needsDependencies { active += 1 }
                if state != .forgotten { live += 1 }
            }
            if tasks[index].activeDependents != active {
                problems.append(
                    "\(name): active dependents \(tasks[index].activeDependents) ≠ \(active)")
            }
            if tasks[index].liveDependents != live {
                problems.append("\(name): live dependents \(tasks[index].liveDependents) ≠ \(live)")
            }
            switch tasks[index].state {
            case .processing:
                guard let worker = tasks[index].processingOn else {
                    problems.append("\(name): processing on no worker")
                    continue
                }
                if workers[worker.int].status != .running {
                    problems.append(
                        "\(name): processing on \(workers[worker.int].status) worker \(workers[worker.int].name)"
                    )
                }
                let slot = Int(tasks[index].processingSlot)
                if slot < 0 || slot >= workers[worker.int].processing.count
                    || workers[worker.int].processing[slot] != task
                {
                    problems.append("\(name): not in its worker's processing list")
                }
            case .memory:
                if tasks[index].replicas.isEmpty {
                    problems.append("\(name): in memory with no replica")
                }
                for position in tasks[index].replicas.indices
                where workers[tasks[index].replicas[position].int].status == .dead {
                    let holder = tasks[index].replicas[position]
                    problems.append("\(name): replica on dead worker \(workers[holder.int].name)")
                }
            case .waiting:
                var missing = 0
                for position in tasks[index].dependencies.indices
                where tasks[tasks[index].dependencies[position].int].state != .memory {
                    missing += 1
                }
                if tasks[index].waitingOn != Int32(missing) {
                    problems.append(
                        "\(name): waiting on \(tasks[index].waitingOn), but \(missing) inputs are missing"
                    )
                }
            default: break
            }
            if tasks[index].state != .processing, tasks[index].processingOn != nil {
                problems.append("\(name): has a worker but is not processing")
            }
            if tasks[index].state != .memory, !tasks[index].replicas.isEmpty {
                problems.append("\(name): replicas while not in memory")
            }
            if tasks[index].state == .erred, tasks[index].failure == nil {
                problems.append("\(name): erred without a failure")
            }
        }
        if counts != stateCounts { problems.append("state counts \(stateCounts) ≠ \(counts)") }

        var slots = 0
        // Fields read in place here too: copying a worker's record copies its lists.
        for index in workers.indices {
            var name: String { workers[index].name }
            if workers[index].status == .dead, !workers[index].processing.isEmpty {
                problems.append("dead worker \(name) still has processing tasks")
            }
            for position in workers[index].processing.indices
            where tasks[workers[index].processing[position].int].processingOn != WorkerID(index) {
                let task = workers[index].processing[position]
                problems.append("worker \(name) lists \(tasks[task.int].key), which is not on it")
            }
            if workers[index].occupancy < 0 {
                problems.append("worker \(name): negative occupancy")
            }
            if workers[index].status == .running, configuration.workerSaturation.isFinite {
                slots += max(workers[index].slotCapacity - workers[index].processing.count, 0)
            }
        }
        if configuration.workerSaturation.isFinite, slots != freeSlots {
            problems.append("free slots \(freeSlots) ≠ \(slots)")
        }
        return problems
    }
}
