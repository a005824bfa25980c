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
            // Each record looked up once: a lookup is a probe of the table and a retain.
            guard let first = tasks[task], first.state == .fetch else { continue }
            guard let peer = first.holders.first(where: { !gonePeers.contains($0) }) else {
                // dask asks on its next find-missing round; this worker asks at once.
                setState(of: first, to: .missing)
                missing.append(task)
                continue
            }
            let id = nextGather
            nextGather = nextGather == .max ? 1 : nextGather + 1
            var gather: [TaskID] = []
            var bytes: Int64 = 0
            func take(_ record: WorkerTask) {
                record.fetchingFrom = peer
                record.gather = id
                setState(of: record, to: .flight)
                flight.append(record.id)
                gather.append(record.id)
                bytes = bytes.saturatingAdd(record.size)
            }
            take(first)
            let window = fetchHead..<min(fetchQueue.count, fetchHead + Self.gatherWindow)
            for other in fetchQueue[window] {
                // Taken ones are in flight now, so a repeated entry is passed over.
                guard let record = tasks[other], record.state == .fetch,
                    record.holders.contains(peer)
                else { continue }
                if bytes.saturatingAdd(record.size) > Self.gatherBytesLimit { break }
                take(record)
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
            inputArrived(record)
        case .resumed:
            // Wanted as data while its cancelled execution ran: keep it and say so.
            setState(of: record, to: .memory)
            send(.addKeys([task]))
            inputArrived(record)
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

    /// Ends a fetch: takes it out of flight, and its gather ends with its last result. The
    /// task's record, if the fetch was under way from `peer`.
    private func endFetch(_ task: TaskID, from peer: WorkerID) -> WorkerTask? {
        guard let record = tasks[task], record.fetchingFrom == peer, flight.contains(task)
        else { return nil }
        leaveFlight(record)
        return record
    }

    /// Takes a task out of flight, and out of its gather's count.
    func leaveFlight(_ record: WorkerTask) {
        flight.remove(record.id)
        record.fetchingFrom = nil
        let gather = record.gather
        record.gather = 0
        guard let left = gathers[gather] else { return }
        gathers[gather] = left > 1 ? left - 1 : nil
    }

    func fetchSucceeded(_ task: TaskID, from peer: WorkerID, size: Int64) {
        guard let record = endFetch(task, from: peer) else { return }
        record.size = size
        switch record.state {
        case .flight:
            // The scheduler learns of every replica, so it can use and free it (dask's
            // flight → memory sends add-keys).
            setState(of: record, to: .memory)
            send(.addKeys([task]))
            inputArrived(record)
        case .resumed where record.next == .waiting:
            // Asked to compute it while its data was on the way: the data is the result.
            setState(of: record, to: .memory)
            send(.taskFinished(task, run: record.run!, outputSize: size, duration: 0))
            inputArrived(record)
        case .resumed:
            setState(of: record, to: .memory)
            send(.addKeys([task]))
            inputArrived(record)
        default:
            setState(of: record, to: .released)
            out.append(.freeData(task))
            forgetIfUnneeded(task)
        }
    }

    func fetchFailed(_ task: TaskID, from peer: WorkerID) {
        guard let record = endFetch(task, from: peer) else { return }
        record.holders.removeAll { $0 == peer }
        if !gonePeers.contains(peer) { send(.missingData(task, holder: peer)) }
        let next = record.next
        switch record.state {
        case .flight:
            setState(of: record, to: .fetch)
            fetchQueue.append(task)
        case .resumed where next == .fetch:
            setState(of: record, to: .fetch)
            fetchQueue.append(task)
        case .resumed:
            // Compute it here after all. Inputs that arrived while it was resumed were not
            // counted off (only a waiting task's are): what it waits for is counted afresh.
            record.waitingFor = Int32(
                record.dependencies.count { tasks[$0]?.state != .memory })
            startWaiting(record)
        default:
            setState(of: record, to: .released)
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
    func inputArrived(_ input: WorkerTask) {
        for dependent in input.dependents {
            guard let waiting = tasks[dependent], waiting.state == .waiting else { continue }
            waiting.waitingFor -= 1
            if waiting.waitingFor == 0 { makeReady(waiting) }
        }
    }
}
