/// Compute requests, inputs, free-keys and steal requests.
extension WorkerStateMachine {
    func compute(_ request: ComputeRequest) {
        let task = request.task
        if tasks[task] == nil { setState(task, .released) }
        // Saturating: past two billion requests on one worker, later ones tie.
        nextOrder = nextOrder == .min ? .min : nextOrder - 1
        let record = tasks[task]!
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
            send(.taskFinished(task, run: request.run, outputSize: tasks[task]!.size, duration: 0))
        case .cancelled where tasks[task]!.previous == .executing:
            // "Forget the cancellation": the execution still runs, now for this run.
            setState(task, .executing)
            tellLongRunningInArrears(task)
        case .cancelled, .flight:
            // The data is on its way; compute it here only if the fetch fails.
            setState(task, .resumed)
            tasks[task]!.next = .waiting
        case .resumed where tasks[task]!.next == .fetch:
            setState(task, .executing)
            tellLongRunningInArrears(task)
        case .resumed, .forgotten:
            break
        }
    }

    /// An execution that seceded while the scheduler did not count it here is its again:
    /// the scheduler hears it is long-running (dask's `_transition_cancelled_waiting`).
    private func tellLongRunningInArrears(_ task: TaskID) {
        guard tasks[task]!.seceded else { return }
        send(.longRunning(task, run: tasks[task]!.run!, computeDuration: nil))
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
            leaveFlight(task)
            fallthrough
        case .released, .fetch, .missing, .error:
            record.size = size
            setState(task, .memory)
            inputArrived(task)
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
        if tasks[task] == nil { setState(task, .released) }
        let record = tasks[task]!
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
            startFetching(task)
        case .error:
            setState(task, .released)
            startFetching(task)
        case .cancelled where record.previous == .executing:
            // Needed as data while its cancelled execution runs: keep the outcome this time.
            setState(task, .resumed)
            record.next = .fetch
        case .cancelled:
            // Needed as data while its cancelled transfer runs: the transfer is the fetch
            // (dask forgets the cancellation). As resumed(fetch) it counted as executing,
            // and the data it brought was dropped.
            setState(task, .flight)
        case .fetch, .flight, .waiting, .ready, .constrained, .executing, .resumed, .forgotten:
            break
        }
        return false
    }

    func startFetching(_ task: TaskID) {
        setState(task, .fetch)
        fetchQueue.append(task)
    }

    func acquireReplicas(_ inputs: [ComputeRequest.Input]) {
        for input in inputs where registerInput(input, neededBy: nil) {
            send(.addKeys([input.task]))
        }
    }

    /// New holders for results it could not find: those still missing are fetched again.
    func refreshWhoHas(_ inputs: [ComputeRequest.Input]) {
        for input in inputs where tasks[input.task]?.state == .missing {
            let holders = input.holders.filter { $0 != id && !gonePeers.contains($0) }
            guard !holders.isEmpty else { continue }
            tasks[input.task]!.holders = holders
            startFetching(input.task)
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
            setState(task, .cancelled)
            record.previous = state
        case .resumed:
            let previous: WorkerTaskState = record.next == .fetch ? .executing : .flight
            setState(task, .cancelled)
            record.previous = previous
        case .cancelled, .released, .forgotten:
            break
        case .memory:
            release(task)
            out.append(.freeData(task))
            refetchForDependents(task)
            forgetIfUnneeded(task)
        case .waiting, .ready, .constrained, .fetch, .missing, .error:
            release(task)
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
    func release(_ task: TaskID) {
        if tasks[task]!.state == .constrained { constrained.removeAll { $0 == task } }
        setState(task, .released)
    }

    /// Data freed while a local task still waits for it: fetch it again from another holder.
    func refetchForDependents(_ task: TaskID) {
        let waiting = tasks[task]!.dependents.filter { dependent in
            [.waiting, .ready, .constrained].contains(tasks[dependent]?.state)
        }
        guard !waiting.isEmpty else { return }
        for dependent in waiting {
            tasks[dependent]!.waitingFor += 1
            switch tasks[dependent]!.state {
            case .ready: setState(dependent, .released); setState(dependent, .waiting)
            case .constrained:
                release(dependent)
                setState(dependent, .waiting)
            default: break
            }
        }
        startFetching(task)
    }

    /// dask's steal handling: a task that has not started is given up and the answer says
    /// what it was; otherwise the answer is its current state (nil if unknown).
    func stealRequest(_ task: TaskID, steal: StealID) {
        let state = tasks[task]?.state
        switch state {
        case .ready?, .constrained?, .waiting?:
            release(task)
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
