extension Scheduler {
    /// Expected time to finish everything assigned to the worker, as dask's `occupancy`: each
    /// processing task at what its group is expected to take now (so it follows what the
    /// scheduler learns, as `_calc_occupancy` does), plus what was fixed at dispatch (the
    /// transfers of inputs, durations declared up front). Long-running tasks do not count.
    public func occupancy(of worker: WorkerID) -> Nanoseconds {
        Nanoseconds(clamping: fullOccupancy(of: worker))
    }

    /// ``occupancy(of:)`` in 128 bits, unclamped.
    func fullOccupancy(of worker: WorkerID) -> Int128 {
        var total = workers[worker.int].occupancy
        for entry in workers[worker.int].groupCounts {
            total += Int128(entry.count) * Int128(expectedDuration(ofGroup: Int(entry.group)))
        }
        return total
    }

    /// Counts a task just made processing on `worker` in its group's tally there.
    func countInGroup(_ task: TaskID, on worker: WorkerID) {
        let group = tasks[task.int].group
        tasks[task.int].countedInGroup = true
        if let index = workers[worker.int].groupCounts.firstIndex(where: { $0.group == group }) {
            workers[worker.int].groupCounts[index].count += 1
        } else {
            workers[worker.int].groupCounts.append(GroupCount(group: group, count: 1))
        }
    }

    /// Takes a task leaving `worker`'s processing, or seceding, out of its group's tally.
    func uncountInGroup(_ task: TaskID, on worker: WorkerID) {
        let group = tasks[task.int].group
        tasks[task.int].countedInGroup = false
        guard let index = workers[worker.int].groupCounts.firstIndex(where: { $0.group == group })
        else { return }
        workers[worker.int].groupCounts[index].count -= 1
        if workers[worker.int].groupCounts[index].count == 0 {
            workers[worker.int].groupCounts.swapAt(index, workers[worker.int].groupCounts.count - 1)
            workers[worker.int].groupCounts.removeLast()
        }
    }
}
