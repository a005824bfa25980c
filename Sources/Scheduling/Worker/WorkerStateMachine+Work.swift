/// Starting executions and fetches, and their outcomes.
extension WorkerStateMachine {
    /// Starts executions while threads are free and fetches while the limit allows.
    func startWork() {
        guard !isPaused, !exceededMemory else { return }
        startExecutions()
        startFetches()
    }

    private func startExecutions() {
        var index = 0
        while busyThreads < threads, index < constrained.count {
            let task = constrained[index]
            if canAcquire(tasks[task]!.resources) {
                constrained.remove(at: index)
                startExecuting(tasks[task]!)
            } else {
                index += 1
            }
        }
        while busyThreads < threads, let entry = ready.popMin() {
            guard let record = tasks[entry.task], record.state == .ready,
                record.order == entry.order
            else { continue }
            if canAcquire(record.resources) {
                startExecuting(record)
            } else {
                setState(of: record, to: .constrained)
                constrained.append(entry.task)
            }
        }
    }

    private func startExecuting(_ record: WorkerTask) {
        let task = record.id
        for need in record.resources { used[need.name, default: 0] += need.amount }
        setState(of: record, to: .executing)
        executing.append(task)
        let run = record.run!
        if memoryLimit != nil { readInputs(of: task) }
        out.append(.execute(task, run: run))
        send(.taskStarted(task, run: run))
    }

    private func canAcquire(_ resources: [ResourceAmount]) -> Bool {
        resources.allSatisfy { need in
            supplied[need.name, default: 0] - used[need.name, default: 0] >= need.amount
        }
    }

    /// Starts gathers while fewer than `fetchLimit` are in flight: the next input to fetch
    /// from its first holder still there, with the inputs queued after it (within
    /// `gatherWindow`) that the same peer holds, up to `gatherBytesLimit` (dask's
    /// `_select_keys_for_gather`).
    private func startFetches() {
        var missing: [TaskID] = []
        defer { if !missing.isEmpty { send(.requestRefreshWhoHas(missing)) } }
        while gathers.count < fetchLimit, fetchHead < fetchQueue.count {
            let task = fetchQueue[fetchHead]
            fetchHead += 1
            guard tasks[task]?.state == .fetch else { continue }
            guard let peer = tasks[task]!.holders.first(where: { !gonePeers.contains($0) })
            else {
                // dask asks on its next find-missing round; this worker asks at once.
                setState(task, .missing)
                missing.append(task)
                continue
            }
            let id = nextGather
            nextGather = nextGather == .max ? 1 : nextGather + 1
            var gather: [TaskID] = []
            var bytes: Int64 = 0
            func take(_ item: TaskID) {
                tasks[item]!.fetchingFrom = peer
                tasks[item]!.gather = id
                setState(item, .flight)
                flight.append(item)
                gather.append(item)
                bytes = bytes.saturatingAdd(tasks[item]!.size)
            }
            take(task)
            let window = fetchHead..<min(fetchQueue.count, fetchHead + Self.gatherWindow)
            for other in fetchQueue[window] {
                // Taken ones are in flight now, so a repeated entry is passed over.
                guard let record = tasks[other], record.state == .fetch,
                    record.holders.contains(peer)
                else { continue }
                if bytes.saturatingAdd(record.size) > Self.gatherBytesLimit { break }
                take(other)
            }
            gathers[id] = gather.count
            out.append(.fetch(gather, from: peer, bytes: bytes))
        }
        if fetchHead > 64, fetchHead * 2 > fetchQueue.count {
            fetchQueue.removeFirst(fetchHead)
            fetchHead = 0
        }
    }

    /// Ends an execution: frees its thread and resources; its record, if it was executing.
    private func endExecution(_ task: TaskID) -> WorkerTask? {
        guard let index = executing.firstIndex(of: task) else { return nil }
        executing.remove(at: index)
        let record = tasks[task]!
        if record.seceded {
            record.seceded = false
            seceded -= 1
        }
        for need in record.resources { used[need.name, default: 0] -= need.amount }
        return record
    }

    /// dask's `_handle_secede`: an execution leaves its thread. An executing task tells the
    /// scheduler (long-running); a cancelled one, or one resumed to be fetched, does not,
    /// since the scheduler does not count it as running here (it hears later, if the task
    /// is computed here again).
    func secede(_ task: TaskID, computeDuration: Nanoseconds) {
        guard let record = tasks[task], record.runs, !record.seceded else { return }
        record.seceded = true
        seceded += 1
        if record.state == .executing {
            send(.longRunning(task, run: record.run!, computeDuration: computeDuration))
        }
    }

    func executionSucceeded(_ task: TaskID, size: Int64, duration: Nanoseconds) {
        guard let record = endExecution(task) else { return }
        record.size = size
        switch record.state {
        case .executing:
            setState(of: record, to: .memory)
            send(.taskFinished(task, run: record.run!, outputSize: size, duration: duration))
            inputArrived(task)
        case .resumed:
            // Wanted as data while its cancelled execution ran: keep it and say so.
            setState(of: record, to: .memory)
            send(.addKeys([task]))
            inputArrived(task)
        default:
            // Cancelled: the outcome is dropped.
            setState(of: record, to: .released)
            out.append(.freeData(task))
            forgetIfUnneeded(task)
        }
    }

    func executionFailed(_ task: TaskID, failure: TaskFailure) {
        guard let record = endExecution(task) else { return }
        switch record.state {
        case .executing:
            setState(of: record, to: .error)
            send(.taskErred(task, run: record.run!, failure: failure))
        case .resumed:
            // The error is discarded: the data is fetched from a peer instead.
            setState(task, .fetch)
            fetchQueue.append(task)
        default:
            setState(task, .released)
            forgetIfUnneeded(task)
        }
    }

    /// Ends a fetch: takes it out of flight, and its gather ends with its last result.
    private func endFetch(_ task: TaskID, from peer: WorkerID) -> Bool {
        guard tasks[task]?.fetchingFrom == peer, flight.contains(task) else { return false }
        leaveFlight(task)
        return true
    }

    /// Takes a task out of flight, and out of its gather's count.
    func leaveFlight(_ task: TaskID) {
        flight.remove(task)
        tasks[task]!.fetchingFrom = nil
        let gather = tasks[task]!.gather
        tasks[task]!.gather = 0
        guard let left = gathers[gather] else { return }
        gathers[gather] = left > 1 ? left - 1 : nil
    }

    func fetchSucceeded(_ task: TaskID, from peer: WorkerID, size: Int64) {
        guard endFetch(task, from: peer) else { return }
        tasks[task]!.size = size
        switch tasks[task]!.state {
        case .flight:
            // The scheduler learns of every replica, so it can use and free it (dask's
            // flight → memory sends add-keys).
            setState(task, .memory)
            send(.addKeys([task]))
            inputArrived(task)
        case .resumed where tasks[task]!.next == .waiting:
            // Asked to compute it while its data was on the way: the data is the result.
            setState(task, .memory)
            send(.taskFinished(task, run: tasks[task]!.run!, outputSize: size, duration: 0))
            inputArrived(task)
        case .resumed:
            setState(task, .memory)
            send(.addKeys([task]))
            inputArrived(task)
        default:
            setState(task, .released)
            out.append(.freeData(task))
            forgetIfUnneeded(task)
        }
    }

    func fetchFailed(_ task: TaskID, from peer: WorkerID) {
        guard endFetch(task, from: peer) else { return }
        tasks[task]!.holders.removeAll { $0 == peer }
        if !gonePeers.contains(peer) { send(.missingData(task, holder: peer)) }
        let next = tasks[task]!.next
        switch tasks[task]!.state {
        case .flight:
            setState(task, .fetch)
            fetchQueue.append(task)
        case .resumed where next == .fetch:
            setState(task, .fetch)
            fetchQueue.append(task)
        case .resumed:
            // Compute it here after all. Inputs that arrived while it was resumed were not
            // counted off (only a waiting task's are): what it waits for is counted afresh.
            let record = tasks[task]!
            record.waitingFor = Int32(
                record.dependencies.count { tasks[$0]?.state != .memory })
            startWaiting(record)
        default:
            setState(task, .released)
            forgetIfUnneeded(task)
        }
    }

    /// A peer left: fetches from it fail, and it is no longer a holder to fetch from.
    func peerGone(_ peer: WorkerID) {
        gonePeers.insert(peer)
        for task in flight where tasks[task]!.fetchingFrom == peer {
            fetchFailed(task, from: peer)
        }
    }

    /// A result is here: local tasks waiting for it may become ready.
    func inputArrived(_ task: TaskID) {
        for dependent in tasks[task]!.dependents {
            guard let record = tasks[dependent], record.state == .waiting else { continue }
            record.waitingFor -= 1
            if record.waitingFor == 0 { makeReady(record) }
        }
    }
}
