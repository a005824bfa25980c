/// Moving results to disk and back (dask's `SpillBuffer` and the spilling half of its memory
/// monitor). A spilled result stays in memory for the scheduler: it is still held here, only
/// slower to read. Its bytes leave `memoryInUse`, which the pause and terminate thresholds
/// watch.
extension WorkerStateMachine {
    /// Marks a result as just used.
    func touch(_ record: WorkerTask) {
        uses += 1
        record.lastUse = uses
    }

    /// Above `target`, results move to disk, least recently used first, until the data held
    /// is at or under it (one result over the target alone goes at once, as in dask's
    /// buffer); then above `spill`, until under `target`, or `spill` without a target.
    func spillOverThresholds() {
        guard let memoryLimit else { return }
        let limit = Double(memoryLimit)
        if let target = memoryThresholds.target { spill(downTo: target * limit) }
        if let spill = memoryThresholds.spill, Double(memoryInUse) > spill * limit {
            self.spill(downTo: (memoryThresholds.target ?? spill) * limit)
        }
    }

    private func spill(downTo bytes: Double) {
        while Double(memoryInUse) > bytes, let task = tasks.leastRecentlyUsedInMemory() {
            let oldest = tasks[task]!
            oldest.isSpilled = true
            memoryInUse -= oldest.size
            spilledBytes += oldest.size
            out.append(.spill(task, size: oldest.size))
        }
    }

    /// An execution reads its inputs: each spilled one comes back from disk (its bytes read
    /// before the execution starts), and all count as just used; results then spill again
    /// if that passed the target.
    func readInputs(of task: TaskID) {
        for input in tasks[task]!.dependencies {
            guard let record = tasks[input], record.state == .memory else { continue }
            if record.isSpilled {
                record.isSpilled = false
                spilledBytes -= record.size
                memoryInUse += record.size
                out.append(.unspill(input, size: record.size))
            }
            touch(record)
        }
        spillOverThresholds()
    }
}
