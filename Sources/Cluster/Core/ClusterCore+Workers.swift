import Scheduling

/// The workers' side: messages, executions and transfers.
extension ClusterCore {
    /// A message reaches a live worker process.
    func workerReceives(_ worker: ClusterWorker, _ message: WorkerEvent) {
        recordDelivery(
            message.kindCode, .schedulerToWorker, end: worker.id.index, state: 0,
            batch: arrivingBatch, tasks: message.forEachNamedTask)
        if case .updateData(let task, _, let size) = message {
            worker.store[task] = StoredResult(
                value: bodies.scatteredValue(of: task, in: scheduler), size: size,
                share: model.materializedShare)
        }
        workerHandles(worker, message)
    }

    /// A worker's state machine handles an event and its commands are carried out.
    func workerHandles(_ worker: ClusterWorker, _ event: WorkerEvent) {
        eventsHandled += 1
        var commands = spareWorkerCommands.popLast() ?? []
        defer {
            commands.clearForReuse()
            spareWorkerCommands.append(commands)
        }
        worker.machine.handle(event, into: &commands)
        // Kept only for the checks that read it (keeping it retains the worker).
        if settings.checksInvariants { workerTouched = worker }
        let id = worker.id
        // Bytes read back from disk for the next execution.
        var read: Int64 = 0
        for command in commands {
            switch command {
            case .execute(let task, let run):
                let start = worker.startTime(
                    at: now, gap: worker.setup.startGap.sample(using: &startGaps))
                if start > now {
                    let ref = ExecutionRef(worker: id, generation: worker.generation, task: task)
                    schedule(
                        .executionBegins(ref, run: run, reading: read), at: start, keepsBusy: true)
                } else {
                    startExecution(worker, task, run: run, reading: read)
                }
                read = 0
            case .spill(let task, let size):
                record(.spilled, task: task, worker: id, detail: size)
            case .unspill(let task, let size):
                record(.unspilled, task: task, worker: id, detail: size)
                read += size
            case .fetch(let tasks, let peer, let bytes):
                startGather(worker, tasks, from: peer, bytes: bytes)
            case .freeData(let task):
                worker.store[task] = nil
            case .send(let message):
                deliver(
                    .toScheduler(message.event(from: id)), from: id.index,
                    to: MessageOnLink.scheduler, latency: settings.workerLatency,
                    interval: settings.batching.workerToScheduler)
            case .transition(let task, let from, let to):
                record(
                    .workerTransition, task: task, worker: id, from: from.rawValue, to: to.rawValue)
            case .exceededMemory:
                restart(worker.setup)
            }
        }
    }

    /// Starts an execution: counts the attempt, draws its duration at the worker's current
    /// speed (plus the time to read `reading` bytes of spilled inputs from disk) and any
    /// injected failure, gathers its inputs, and has the driver run it.
    func startExecution(
        _ worker: ClusterWorker, _ task: TaskID, run: RunID, reading: Int64
    ) {
        while attempts.count <= task.int { attempts.append(0) }
        // Saturating: past four billion executions of one task, later ones tie.
        attempts[task.int] = attempts[task.int] == .max ? .max : attempts[task.int] + 1
        let attempt = Int(attempts[task.int])
        let id = worker.id
        record(.executionStarted, task: task, worker: id, detail: Int64(run.value))
        let body = bodies.body(of: task, in: scheduler)
        let speed = faults.speed(of: worker.setup.name, base: worker.setup.speed, at: now)
        let duration = Nanoseconds(
            saturating: Double(body.model.duration.sample(using: &durations)) / speed
        ).saturatingAdd(worker.setup.diskTime(reading))
        let injected = injectedFailure(task, attempt: attempt)
        if injected != nil {
            record(
                .fault, task: task, worker: id, from: FaultCode.failTask.rawValue,
                detail: Int64(attempt))
        }
        // The scheduler's dependencies are the body's, in the same order.
        let inputs: [any Sendable] =
            injected != nil
            ? []
            : scheduler.dependencies(of: task).map { input in
                worker.store[input]?.value ?? MissingInput(key: scheduler.key(of: input))
            }
        let ref = ExecutionRef(worker: id, generation: worker.generation, task: task)
        var execution = Execution(
            ref: ref, body: body, inputs: inputs, duration: duration, injected: injected)
        if injected == nil, let after = body.model.secedeAfter {
            let seceding = Nanoseconds(saturating: Double(after) / speed)
            if seceding < duration {
                execution.secedes = true
                schedule(
                    .secede(ref, attempt: attempt, after: seceding),
                    at: now.saturatingAdd(seceding), keepsBusy: true)
            }
        }
        withDriver { $0.run(execution) }
    }

    /// An execution on a live process seceded: its thread is replaced, and its worker's state
    /// machine hears of it if it is still the task's latest execution.
    func executionSeceded(_ ref: ExecutionRef, attempt: Int, after: Nanoseconds) {
        guard let target = live(ref.worker, ref.generation) else { return }
        withDriver { $0.executionSeceded(ref) }
        guard Int(attempts[ref.task.int]) == attempt else { return }
        record(.seceded, task: ref.task, worker: ref.worker, detail: after)
        workerHandles(target, .secede(ref.task, computeDuration: after))
    }

    /// Runs an execution's body where the caller is (any thread): the failure a fault
    /// injects, else the body's value (as real bytes too when outputs are materialised), or
    /// the failure its error makes (the error kept for the client).
    public func perform(_ execution: Execution) -> Result<StoredResult, TaskFailure> {
        if let injected = execution.injected { return .failure(injected) }
        do {
            let value = try execution.body(execution.inputs)
            return .success(
                StoredResult(
                    value: value, size: execution.body.model.outputSize,
                    share: model.materializedShare))
        } catch {
            return .failure(keep(error))
        }
    }

    private func injectedFailure(_ task: TaskID, attempt: Int) -> TaskFailure? {
        guard hasTaskFaults else { return nil }
        return faults.injectedFailure(key: scheduler.key(of: task), attempt: attempt) {
            faultDraws.unit()
        }
    }

    /// An execution ended: recorded now, heard by its worker process at once or after the
    /// process's handoff.
    func executionEnded(
        _ worker: ClusterWorker, _ execution: ExecutionRef, _ outcome: ExecutionOutcome
    ) {
        switch outcome {
        case .value(_, _, let duration):
            record(
                .executionEnded, task: execution.task, worker: worker.id, from: 1,
                detail: duration)
        case .failure:
            record(.executionEnded, task: execution.task, worker: worker.id, from: 0)
        }
        let handoff = worker.setup.handoff.sample(using: &handoffs)
        if handoff > 0 {
            schedule(
                .executionHeard(execution, outcome: outcome),
                at: now.saturatingAdd(handoff), keepsBusy: true)
        } else {
            hear(worker, execution.task, outcome)
        }
    }

    /// A worker process hears how an execution ended: its result is stored, and its state
    /// machine handles the end.
    func hear(_ worker: ClusterWorker, _ task: TaskID, _ outcome: ExecutionOutcome) {
        switch outcome {
        case .value(let result, let size, let duration):
            worker.store[task] = result
            workerHandles(worker, .executionSucceeded(task, outputSize: size, duration: duration))
        case .failure(let failure):
            workerHandles(worker, .executionFailed(task, failure: failure))
        }
    }

    /// Moves results from a peer in one message: latency plus their bytes over bandwidth (and
    /// the holder's disk reads of spilled ones, and the connection's opening the first time
    /// this process gathers from that one), after the transfers already using the receiver's
    /// link when links are contended. Each result arrives as a transfer of its own,
    /// all at the gather's end (unless a hold delays one's outcome).
    private func startGather(
        _ worker: ClusterWorker, _ tasks: [TaskID], from peer: WorkerID, bytes: Int64
    ) {
        let network = settings.network
        let now = self.now
        let start = network.contention ? max(now, worker.linkFreeAt) : now
        // On top of latency and bytes: a holder that spilled a result reads it from disk
        // first (and keeps it there), and a first gather from that process opens the
        // connection.
        let holder = self.worker(peer)
        var extra: Nanoseconds = 0
        for task in tasks where holder?.machine.isSpilled(task) == true {
            extra = extra.saturatingAdd(
                holder!.setup.diskTime(worker.machine.size(of: task) ?? 0))
        }
        if let holder,
            worker.connected.insert(PeerProcess(worker: peer, generation: holder.generation))
                .inserted
        {
            extra = extra.saturatingAdd(network.connectLatency)
        }
        let end = start.saturatingAdd(network.transferTime(bytes)).saturatingAdd(extra)
        if network.contention { worker.linkFreeAt = end }
        for (index, task) in tasks.enumerated() {
            let size = worker.machine.size(of: task) ?? 0
            record(
                .transferStarted, task: task, worker: worker.id,
                to: UInt8(truncatingIfNeeded: peer.index), detail: size)
            let transfer = Transfer(
                worker: worker.id, generation: worker.generation, task: task, peer: peer,
                startedAt: now, size: size, gatherBytes: index == 0 ? bytes : nil)
            schedule(
                .fetchEnded(transfer), at: end.saturatingAdd(outcomeHold(of: transfer)),
                keepsBusy: true)
        }
    }

    /// How long a hold on the worker's gather-dep outcome keeps it from learning how a
    /// transfer ended (the holder may be gone by then, and the fetch fails).
    private func outcomeHold(of transfer: Transfer) -> Nanoseconds {
        guard !linkFaults.isEmpty else { return 0 }
        let outcome = MessageOnLink(
            kind: .fetchOutcome, from: Int32(transfer.peer.index),
            to: Int32(transfer.worker.index), concerns: { $0 == transfer.task })
        return linkFaults.holdDelay(
            of: outcome, sentAt: transfer.startedAt, code: { $0.code { self.workerByName[$0] } },
            task: taskKeys.id(of:),
            held: { self.record(.fault, from: FaultCode.hold.rawValue, detail: $0.by) })
    }

    /// A transfer's time is up: the data is copied if the peer is alive and still holds it.
    func fetchEnded(_ transfer: Transfer) {
        if let source = worker(transfer.peer), let data = source.store[transfer.task] {
            var transfer = transfer
            transfer.size = source.machine.size(of: transfer.task) ?? transfer.size
            withDriver { $0.copy(data, for: transfer) }
        } else if let target = live(transfer.worker, transfer.generation) {
            record(.transferEnded, task: transfer.task, worker: transfer.worker, from: 0)
            workerHandles(target, .fetchFailed(transfer.task, from: transfer.peer))
        }
    }

    /// A transfer's copy arrived at its worker, if that process still lives.
    public func dataArrived(_ transfer: Transfer, _ data: StoredResult) {
        guard let target = live(transfer.worker, transfer.generation) else { return }
        record(
            .transferEnded, task: transfer.task, worker: transfer.worker, from: 1,
            detail: transfer.size)
        target.store[transfer.task] = data
        measure(transfer, on: target)
        workerHandles(
            target, .fetchSucceeded(transfer.task, from: transfer.peer, size: transfer.size))
    }
}
