/// Workers joining and leaving, and the messages about replicas they send.
extension Scheduler {
    func addWorker(_ spec: WorkerSpec) {
        precondition(spec.threads > 0, "a worker needs at least one thread")
        precondition(workerByName[spec.name] == nil, "worker \(spec.name) is already running")
        let id = WorkerID(workers.count)
        var supplied: [Double] = []
        for name in spec.resources.keys.sorted() {
            let resource = resourceID(for: name)
            if supplied.count <= resource {
                supplied += Array(repeating: 0, count: resource + 1 - supplied.count)
            }
            supplied[resource] = spec.resources[name]!
        }
        // Room for every resource named so far, so lookups by id never fall off the end.
        if supplied.count < resourceIDs.count {
            supplied += Array(repeating: 0, count: resourceIDs.count - supplied.count)
        }
        let saturation = configuration.workerSaturation
        let capacity =
            saturation.isFinite
            ? max(Int((saturation * Double(spec.threads)).rounded(.up)), 1) : Int.max
        workers.append(
            WorkerRecord(
                name: spec.name, nameID: nameID(for: spec.name), threads: spec.threads,
                memoryLimit: spec.memoryLimit, supplied: supplied,
                used: Array(repeating: 0, count: supplied.count), slotCapacity: capacity))
        workerByName[spec.name] = id
        soleReplica.append([id])
        runningWorkers.append(id)
        totalThreads += spec.threads
        if saturation.isFinite { freeSlots += capacity }
        refreshFreeSlotMembership(of: id)
        out.append(.workerAdded(id, name: spec.name))
        retryTasksWithoutWorker()
    }

    /// Tasks that found no worker try again, in priority order: one may fit the worker that
    /// just became available.
    private func retryTasksWithoutWorker() {
        guard count(in: .noWorker) > 0 else { return }
        var waiting = tasks.indices.filter { tasks[$0].state == .noWorker }.map(TaskID.init)
        waiting.sort { tasks[$0.int].priority > tasks[$1.int].priority }
        for task in waiting { recommend(task, .processing) }
    }

    /// dask's `handle_worker_status_change`: a paused worker keeps what it is processing and
    /// holding but is no candidate for new tasks (nor a thief) and has no queue slots; when it
    /// runs again it is one more place for queued tasks and tasks without a worker.
    func workerStatusChanged(_ worker: WorkerID, paused: Bool) {
        let status = workers[worker.int].status
        guard status == (paused ? .running : .paused) else { return }
        let saturation = configuration.workerSaturation
        if paused {
            if saturation.isFinite { freeSlots -= workers[worker.int].openSlots }
            workers[worker.int].status = .paused
            runningWorkers.removeAll { $0 == worker }
        } else {
            workers[worker.int].status = .running
            if saturation.isFinite { freeSlots += workers[worker.int].openSlots }
            // Kept in id order, as workers join.
            runningWorkers.insert(worker, at: runningWorkers.orderedPosition(of: worker))
            retryTasksWithoutWorker()
        }
        refreshFreeSlotMembership(of: worker)
    }

    /// dask's `heartbeat_worker`: the worker's bandwidth estimate moves the scheduler's by one
    /// share in as many as there are workers, so that with every worker heartbeating the
    /// figure follows their average.
    func heartbeat(from worker: WorkerID, bandwidth measured: Double) {
        guard workers[worker.int].status != .dead, measured > 0 else { return }
        let share = 1 / Double(workerByName.count)
        bandwidth = bandwidth * (1 - share) + measured * share
    }

    /// dask's `remove_worker` (Semantics: Worker death): its processing tasks are rescheduled (or err
    /// with KilledWorker once they outlived `allowedFailures` deaths), its replicas are gone.
    func removeWorker(_ worker: WorkerID, expected: Bool) {
        guard workers[worker.int].status != .dead else { return }
        let record = workers[worker.int]
        if record.status == .running, configuration.workerSaturation.isFinite {
            freeSlots -= record.openSlots
        }
        workers[worker.int].status = .dead
        refreshFreeSlotMembership(of: worker)
        runningWorkers.removeAll { $0 == worker }
        totalThreads -= record.threads
        workerByName[record.name] = nil

        for task in record.processing {
            if tasks[task.int].scattered {
                // Its data died with the worker: not a task the worker could have killed.
                recommend(task, .released)
                continue
            }
            if !expected {
                tasks[task.int].suspicious += failuresPerDeath
            }
            if tasks[task.int].suspicious > configuration.allowedFailures {
                tasks[task.int].failure = .killedWorker(
                    key: key(of: task), lastWorker: record.name,
                    allowedFailures: configuration.allowedFailures)
                recommend(task, .erred)
            } else {
                recommend(task, .released)
            }
        }
        for task in record.holding {
            guard let index = tasks[task.int].replicas.firstIndex(of: worker) else { continue }
            removeReplica(of: task, at: index)
            if tasks[task.int].replicas.isEmpty, tasks[task.int].state == .memory {
                recommend(task, .released)
            }
        }
        workers[worker.int].holding = []
        workers[worker.int].heldCount = 0
        workers[worker.int].heldBytes = 0
        out.append(.workerGone(worker))
    }

    func taskStarted(_ task: TaskID, worker: WorkerID, run: RunID) {
        // Fields read in place: copying the record would retain each of its lists.
        guard tasks[task.int].state == .processing, tasks[task.int].processingOn == worker,
            tasks[task.int].run == run
        else {
            out.append(.note(task, worker: worker, .staleRun))
            return
        }
        workers[worker.int].processingCosts[Int(tasks[task.int].processingSlot)].startedAt = now
        let group = Int(tasks[task.int].group)
        if groups[group].averageDuration == nil, groups[group].firstSeenRunning == nil {
            groups[group].firstSeenRunning = now
        }
        report(task, .running)
    }

    /// A worker holds results it was not asked to compute: kept as replicas where the task is
    /// in memory, else the worker is told to drop them. A task being computed again on that
    /// very worker is left alone: the worker answers the request from the data it holds.
    func addKeys(worker: WorkerID, tasks added: [TaskID]) {
        guard workers[worker.int].status.isConnected else { return }
        var unwanted: [TaskID] = []
        for task in added {
            if tasks[task.int].state == .memory {
                addReplica(task, on: worker)
            } else if tasks[task.int].state == .processing,
                tasks[task.int].processingOn == worker
            {
                continue
            } else {
                unwanted.append(task)
            }
        }
        if !unwanted.isEmpty { out.append(.freeKeys(tasks: unwanted, worker: worker)) }
    }

    /// A worker asks where results it could not find live: the holders of those in memory.
    /// Those not in memory are left out; the worker hears of them when the tasks that need
    /// them are sent again or freed.
    func refreshWhoHas(worker: WorkerID, tasks asked: [TaskID]) {
        guard workers[worker.int].status.isConnected else { return }
        let inputs = asked.compactMap { task -> ComputeRequest.Input? in
            guard tasks[task.int].state == .memory else { return nil }
            return ComputeRequest.Input(
                task: task, holders: tasks[task.int].replicas, size: outputSize(of: task))
        }
        if !inputs.isEmpty { out.append(.refreshWhoHas(inputs: inputs, worker: worker)) }
    }

    /// A worker found no data at a holder the scheduler named: that replica is gone.
    func missingData(_ task: TaskID, reporter: WorkerID, holder: WorkerID) {
        guard let index = tasks[task.int].replicas.firstIndex(of: holder) else { return }
        removeReplica(of: task, at: index)
        workers[holder.int].heldCount -= 1
        workers[holder.int].heldBytes -= outputSize(of: task)
        if tasks[task.int].replicas.isEmpty, tasks[task.int].state == .memory {
            recommend(task, .released)
        }
    }
}
