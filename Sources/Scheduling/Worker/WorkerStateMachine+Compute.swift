/// Compute requests, inputs, free-keys and steal requests.
extension WorkerStateMachine {
    func compute(_ request: ComputeRequest) {
        let task = request.task
        let record = knownRecord(of: task)
        // Saturating: past two billion requests on one worker, later ones tie.
        nextOrder = nextOrder == .min ? .min : nextOrder - 1
        record.run = request.run
        record.priority = request.priority
        record.order = nextOrder
        record.resources = request.resources
        let alreadyRunning =
            record.state == .memory || record.state == .executing
            || (record.state == .cancelled && record.previous == .executing)
            || (record.state == .resumed && record.next == .fetch)
        if !alreadyRunning {
            let inputs = request.inputs.map(\.task)
            let previous = record.dependencies
            // A task is listed among its inputs' dependents exactly while its record lists
            // them: one never listed is appended without a search (a wide fan-out would
            // make that quadratic), one listed with other inputs is taken off them first.
            let listed = !previous.isEmpty && previous == inputs
            if !listed {
                for dependency in previous {
                    tasks[dependency]?.dependents.removeAll { $0 == task }
                }
            }
            record.dependencies = inputs
            var missing: Int32 = 0
            for input in request.inputs
            where !registerInput(input, neededBy: task, searching: listed) {
                missing += 1
            }
            record.waitingFor = missing
        }

        switch record.state {
        case .released:
            startWaiting(record)
        case .error, .fetch, .missing:
            setState(of: record, to: .released)
            startWaiting(record)
        case .waiting, .constrained:
            break
        case .ready:
            ready.insert(ReadyEntry(priority: request.priority, order: nextOrder, task: task))
        case .executing:
            // Already running: the new run id replaces the old one (dask's R4 variant).
            break
        case .memory:
            send(.taskFinished(task, run: request.run, outputSize: record.size, duration: 0))
        case .cancelled where record.previous == .executing:
            // "Forget the cancellation": the execution still runs, now for this run.
            setState(of: record, to: .executing)
            tellLongRunningInArrears(record)
        case .cancelled, .flight:
            // The data is on its way; compute it here only if the fetch fails.
            setState(of: record, to: .resumed)
            record.next = .waiting
        case .resumed where record.next == .fetch:
            setState(of: record, to: .executing)
            tellLongRunningInArrears(record)
        case .resumed, .forgotten:
            break
        }
    }

    /// An execution that seceded while the scheduler did not count it here is its again:
    /// the scheduler hears it is long-running (dask's `_transition_cancelled_waiting`).
    private func tellLongRunningInArrears(_ record: WorkerTask) {
        guard record.seceded else { return }
        send(.longRunning(record.id, run: record.run!, computeDuration: nil))
    }

    /// Scattered data arrived with the message (dask's `update_data`): it is in memory here,
    /// and the scheduler hears so under `run`. A fetch of it under way is dropped. A task
    /// this worker computes under the same key keeps its course; no confirmation is sent.
    func updateData(_ task: TaskID, run: RunID, size: Int64) {
        if tasks[task] == nil || tasks[task]!.state == .forgotten { setState(task, .released) }
        let record = tasks[task]!
        switch record.state {
        case .memory:
            break
        case .flight:
            leaveFlight(record)
            fallthrough
        case .released, .fetch, .missing, .error:
            record.size = size
            setState(of: record, to: .memory)
            inputArrived(record)
        case .waiting, .ready, .constrained, .executing, .cancelled, .resumed, .forgotten:
            return
        }
        record.run = run
        send(.taskFinished(task, run: run, outputSize: size, duration: 0))
    }

    /// Goes from released to waiting, and on to ready when every input is here.
    func startWaiting(_ record: WorkerTask) {
        setState(of: record, to: .waiting)
        if record.waitingFor == 0 { makeReady(record) }
    }

    func makeReady(_ record: WorkerTask) {
        setState(of: record, to: .ready)
        ready.insert(ReadyEntry(priority: record.priority, order: record.order, task: record.id))
    }

    /// Notes an input of `dependent` (or a replica to acquire, when `dependent` is nil) and
    /// starts getting it; `true` if it is already here. `searching`: the dependent may be
    /// listed already (else it is known not to be).
    @discardableResult
    func registerInput(
        _ input: ComputeRequest.Input, neededBy dependent: TaskID?, searching: Bool = true
    ) -> Bool {
        let task = input.task
        let record = knownRecord(of: task)
        // Usually this worker is not among them: then the list is shared, not copied.
        record.holders =
            input.holders.contains(id) ? input.holders.filter { $0 != id } : input.holders
        // What it holds keeps the size it was counted with.
        if record.state != .memory { record.size = input.size }
        if let dependent, !searching || !record.dependents.contains(dependent) {
            record.dependents.append(dependent)
        }
        switch record.state {
        case .memory:
            return true
        case .released, .missing:
            startFetching(record)
        case .error:
            setState(of: record, to: .released)
            startFetching(record)
        case .cancelled where record.previous == .executing:
            // Needed as data while its cancelled execution runs: keep the outcome this time.
            setState(of: record, to: .resumed)
            record.next = .fetch
        case .cancelled:
            // Needed as data while its cancelled transfer runs: the transfer is the fetch
            // (dask forgets the cancellation). As resumed(fetch) it counted as executing,
            // and the data it brought was dropped.
            setState(of: record, to: .flight)
        case .fetch, .flight, .waiting, .ready, .constrained, .executing, .resumed, .forgotten:
            break
        }
        return false
    }

    func startFetching(_ record: WorkerTask) {
        setState(of: record, to: .fetch)
        fetchQueue.append(record.id)
    }

    func acquireReplicas(_ inputs: [ComputeRequest.Input]) {
        for input in inputs where registerInput(input, neededBy: nil) {
            send(.addKeys([input.task]))
        }
    }

    /// New holders for results it could not find: those still missing are fetched again.
    func refreshWhoHas(_ inputs: [ComputeRequest.Input]) {
        for input in inputs {
            guard let record = tasks[input.task], record.state == .missing else { continue }
            let holders = input.holders.filter { $0 != id && !gonePeers.contains($0) }
            guard !holders.isEmpty else { continue }
            record.holders = holders
            startFetching(record)
        }
    }

    /// The scheduler lets go of a task: what runs goes on (its outcome will be dropped), the
    /// rest is released.
    func free(_ task: TaskID) {
        if let result = tasks.takeHeld(task) { return freeHeld(task, result) }
        guard let record = tasks[task] else { return }
        record.run = nil
        let state = record.state
        switch state {
        case .executing, .flight:
            setState(of: record, to: .cancelled)
            record.previous = state
        case .resumed:
            let previous: WorkerTaskState = record.next == .fetch ? .executing : .flight
            setState(of: record, to: .cancelled)
            record.previous = previous
        case .cancelled, .released, .forgotten:
            break
        case .memory:
            release(record)
            out.append(.freeData(task))
            refetchForDependents(record)
            forgetIfUnneeded(task)
        case .waiting, .ready, .constrained, .fetch, .missing, .error:
            release(record)
            forgetIfUnneeded(task)
        }
    }

    /// Frees a result kept in its small form (see ``WorkerTasks``), taken out of the table
    /// already: what freeing its record would do (memory → released → forgotten, its data
    /// freed between), without making the record for it. Nothing here needs such a result.
    private func freeHeld(_ task: TaskID, _ result: WorkerTasks.HeldResult) {
        if result.isSpilled { spilledBytes -= result.size } else { memoryInUse -= result.size }
        out.append(.transition(task, from: .memory, to: .released))
        out.append(.freeData(task))
        out.append(.transition(task, from: .released, to: .forgotten))
    }

    /// Releases a task that is not executing or in flight.
    func release(_ record: WorkerTask) {
        if record.state == .constrained { constrained.removeAll { $0 == record.id } }
        setState(of: record, to: .released)
    }

    /// Data freed while a local task still waits for it: fetch it again from another holder.
    func refetchForDependents(_ record: WorkerTask) {
        let waiting = record.dependents.compactMap { dependent -> WorkerTask? in
            guard let candidate = tasks[dependent],
                [.waiting, .ready, .constrained].contains(candidate.state)
            else { return nil }
            return candidate
        }
        guard !waiting.isEmpty else { return }
        for dependent in waiting {
            dependent.waitingFor += 1
            switch dependent.state {
            case .ready:
                setState(of: dependent, to: .released)
                setState(of: dependent, to: .waiting)
            case .constrained:
                release(dependent)
                setState(of: dependent, to: .waiting)
            default: break
            }
        }
        startFetching(record)
    }

    /// dask's steal handling: a task that has not started is given up and the answer says
    /// what it was; otherwise the answer is its current state (nil if unknown).
    func stealRequest(_ task: TaskID, steal: StealID) {
        let state = tasks[task]?.state
        switch state {
        case .ready?, .constrained?, .waiting?:
            release(tasks[task]!)
            tasks[task]?.run = nil
            forgetIfUnneeded(task)
        default:
            break
        }
        let report =
            tasks[task]?.seceded == true && state == .executing ? .longRunning : state?.report
        send(.stealResponse(task, state: report, steal: steal))
    }
}
