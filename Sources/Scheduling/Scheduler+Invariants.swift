/// Consistency checks, run after every event in tests (as dask's `validate_state`).
extension Scheduler {
    /// Every broken invariant, described; empty when the scheduler is consistent.
    public func invariantViolations() -> [String] {
        var problems: [String] = []
        var counts = [Int](repeating: 0, count: stateCounts.count)
        var active = [Int32](repeating: 0, count: tasks.count)
        var live = [Int32](repeating: 0, count: tasks.count)
        for record in tasks {
            counts[Int(record.state.rawValue)] += 1
            for dependency in record.dependencies {
                if record.state.needsDependencies { active[dependency.int] += 1 }
                if record.state != .forgotten { live[dependency.int] += 1 }
            }
        }
        if counts != stateCounts { problems.append("state counts \(stateCounts) ≠ \(counts)") }

        for (index, record) in tasks.enumerated() {
            let task = TaskID(index)
            let name = "\(record.key) (\(record.state))"
            if record.activeDependents != active[index] {
                problems.append(
                    "\(name): active dependents \(record.activeDependents) ≠ \(active[index])")
            }
            if record.liveDependents != live[index] {
                problems.append(
                    "\(name): live dependents \(record.liveDependents) ≠ \(live[index])")
            }
            switch record.state {
            case .processing:
                guard let worker = record.processingOn else {
                    problems.append("\(name): processing on no worker")
                    continue
                }
                if workers[worker.int].status != .running {
                    problems.append(
                        "\(name): processing on \(workers[worker.int].status) worker \(workers[worker.int].name)"
                    )
                }
                let slot = Int(record.processingSlot)
                if slot < 0 || slot >= workers[worker.int].processing.count
                    || workers[worker.int].processing[slot] != task
                {
                    problems.append("\(name): not in its worker's processing list")
                }
            case .memory:
                if record.replicas.isEmpty { problems.append("\(name): in memory with no replica") }
                for holder in record.replicas where workers[holder.int].status == .dead {
                    problems.append("\(name): replica on dead worker \(workers[holder.int].name)")
                }
            case .waiting:
                let missing = record.dependencies.filter { tasks[$0.int].state != .memory }.count
                if record.waitingOn != Int32(missing) {
                    problems.append(
                        "\(name): waiting on \(record.waitingOn), but \(missing) inputs are missing"
                    )
                }
            default:
                if record.processingOn != nil {
                    problems.append("\(name): has a worker but is not processing")
                }
            }
            if record.state != .memory, !record.replicas.isEmpty {
                problems.append("\(name): replicas while not in memory")
            }
            if record.state == .erred, record.failure == nil {
                problems.append("\(name): erred without a failure")
            }
        }

        var slots = 0
        for (index, worker) in workers.enumerated() {
            if worker.status == .dead, !worker.processing.isEmpty {
                problems.append("dead worker \(worker.name) still has processing tasks")
            }
            for task in worker.processing where tasks[task.int].processingOn != WorkerID(index) {
                problems.append(
                    "worker \(worker.name) lists \(tasks[task.int].key), which is not on it")
            }
            if worker.occupancy < 0 { problems.append("worker \(worker.name): negative occupancy") }
            if worker.status == .running, configuration.workerSaturation.isFinite {
                slots += max(worker.slotCapacity - worker.processing.count, 0)
            }
        }
        if configuration.workerSaturation.isFinite, slots != freeSlots {
            problems.append("free slots \(freeSlots) ≠ \(slots)")
        }
        return problems
    }
}
