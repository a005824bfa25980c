/// Consistency checks, run after every event in tests (as dask's `validate_state`).
extension Scheduler {
    /// Every broken invariant, described; empty when the scheduler is consistent.
    public func invariantViolations() -> [String] {
        var problems: [String] = []
        var counts = [Int](repeating: 0, count: stateCounts.count)
        var active = [Int32](repeating: 0, count: tasks.count)
        var live = [Int32](repeating: 0, count: tasks.count)
        // Fields are read in place: copying whole records here dominated every test run.
        for index in tasks.indices {
            let state = tasks[index].state
            counts[Int(state.rawValue)] += 1
            for dependency in tasks[index].dependencies {
                if state.needsDependencies { active[dependency.int] += 1 }
                if state != .forgotten { live[dependency.int] += 1 }
            }
        }
        if counts != stateCounts { problems.append("state counts \(stateCounts) ≠ \(counts)") }

        for index in tasks.indices {
            let task = TaskID(index)
            // Formatted only for a problem: this runs after every event in tests.
            var name: String { "\(tasks[index].key) (\(tasks[index].state))" }
            if tasks[index].activeDependents != active[index] {
                problems.append(
                    "\(name): active dependents \(tasks[index].activeDependents) ≠ \(active[index])"
                )
            }
            if tasks[index].liveDependents != live[index] {
                problems.append(
                    "\(name): live dependents \(tasks[index].liveDependents) ≠ \(live[index])")
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
                for holder in tasks[index].replicas where workers[holder.int].status == .dead {
                    problems.append("\(name): replica on dead worker \(workers[holder.int].name)")
                }
            case .waiting:
                var missing = 0
                for dependency in tasks[index].dependencies
                where tasks[dependency.int].state != .memory {
                    missing += 1
                }
                if tasks[index].waitingOn != Int32(missing) {
                    problems.append(
                        "\(name): waiting on \(tasks[index].waitingOn), but \(missing) inputs are missing"
                    )
                }
            default:
                if tasks[index].processingOn != nil {
                    problems.append("\(name): has a worker but is not processing")
                }
            }
            if tasks[index].state != .memory, !tasks[index].replicas.isEmpty {
                problems.append("\(name): replicas while not in memory")
            }
            if tasks[index].state == .erred, tasks[index].failure == nil {
                problems.append("\(name): erred without a failure")
            }
        }

        var slots = 0
        // Fields read in place here too: copying a worker's record copies its lists.
        for index in workers.indices {
            var name: String { workers[index].name }
            if workers[index].status == .dead, !workers[index].processing.isEmpty {
                problems.append("dead worker \(name) still has processing tasks")
            }
            for task in workers[index].processing
            where tasks[task.int].processingOn != WorkerID(index) {
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
