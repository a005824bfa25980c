import Cluster
import Futures
import Scheduling

/// The workers' side: executions, transfers, and workers dying and joining.
extension ThreadCluster {
    /// A worker's state machine handles an event (on the control loop) and its commands are
    /// carried out.
    func workerHandles(_ worker: RealWorker, _ event: WorkerEvent) {
        eventCount.add(1, ordering: .relaxed)
        worker.commands.removeAll(keepingCapacity: true)
        worker.machine.handle(event, into: &worker.commands)
        let commands = worker.commands
        for command in commands {
            switch command {
            case .execute(let task, let run):
                startExecution(worker, task, run: run)
            case .fetch(let task, let peer, let size):
                startFetch(worker, task, from: peer, size: size)
            case .freeData(let task):
                worker.store.withLock { $0[task] = nil }
            case .send(let message):
                toScheduler(
                    message.event(from: worker.id), from: worker.id.index,
                    latency: configuration.cluster.workerLatency)
            case .transition(let task, let from, let to):
                record(
                    .workerTransition, task: task, worker: worker.id, from: from.rawValue,
                    to: to.rawValue)
            case .exceededMemory:
                restart(worker.setup)
            }
        }
        if configuration.cluster.checksInvariants {
            let violations = worker.machine.changedInvariantViolations()
            if !violations.isEmpty { fail(violations.map { "\(worker.setup.name): \($0)" }) }
        }
    }

    /// Runs the task on one of the worker's threads: its body, then the rest of its modelled
    /// time (at the worker's current speed) sleeping or spinning. An injected failure throws
    /// there, as the task would.
    private func startExecution(_ worker: RealWorker, _ task: TaskID, run: RunID) {
        guard let work = worker.work[task] else {
            preconditionFailure("\(worker.setup.name) was told to run t\(task.index) without it")
        }
        let model = work.body.model
        let (duration, injected) = shared.withLock { state in
            while state.attempts.count <= task.int { state.attempts.append(0) }
            state.attempts[task.int] += 1
            let injected = faults.injectedFailure(
                key: work.key, attempt: state.attempts[task.int]
            ) { state.faultDraws.unit() }
            return (model.duration.sample(using: &state.durations), injected)
        }
        record(.executionStarted, task: task, worker: worker.id, detail: Int64(run.value))
        if injected != nil {
            record(.fault, task: task, worker: worker.id, from: FaultCode.failTask.rawValue)
        }
        let speed = faults.speed(of: worker.setup.name, base: worker.setup.speed, at: actionTime)
        let wall = configuration.scaled(Nanoseconds(Double(duration) / speed))
        let inputs: [any Sendable] = zip(work.inputs, work.inputKeys).map {
            worker.value(of: $0) ?? MissingInput(key: $1)
        }
        let materializes = configuration.materializesOutputs
        worker.pool.submit { [self] in
            let started = WallClock.now
            let outcome: Result<StoredResult, TaskFailure>
            do {
                if let injected { throw InjectedFailure(failure: injected) }
                let value = try work.body(inputs)
                let bytes = materializes ? [UInt8](repeating: 1, count: Int(model.outputSize)) : nil
                outcome = .success(StoredResult(value: value, size: model.outputSize, bytes: bytes))
            } catch let error as InjectedFailure {
                outcome = .failure(error.failure)
            } catch {
                outcome = .failure(keep(error))
            }
            worker.work(until: started + wall, spinning: model.spins)
            let measured = Nanoseconds(
                (Double(WallClock.now - started) / configuration.timeScale).rounded())
            control.execute { [self] in
                guard worker.isAlive else { return }
                executionEnded(worker, task, outcome, duration: measured)
            }
        }
    }

    /// Keeps the error a body threw, for the client's future, and names it in the failure.
    private func keep(_ error: any Error) -> TaskFailure {
        let origin = shared.withLock { state in
            let origin = UInt64(state.errorObjects.count + 1)
            state.errorObjects[origin] = error
            return origin
        }
        return TaskFailure(kind: "\(type(of: error))", message: "\(error)", origin: origin)
    }

    private func executionEnded(
        _ worker: RealWorker, _ task: TaskID, _ outcome: Result<StoredResult, TaskFailure>,
        duration: Nanoseconds
    ) {
        switch outcome {
        case .success(let result):
            record(.executionEnded, task: task, worker: worker.id, from: 1, detail: duration)
            worker.store.withLock { $0[task] = result }
            workerHandles(
                worker, .executionSucceeded(task, outputSize: result.size, duration: duration))
        case .failure(let failure):
            record(.executionEnded, task: task, worker: worker.id, from: 0)
            workerHandles(worker, .executionFailed(task, failure: failure))
        }
    }

    /// Copies a result from a peer: after latency plus size over bandwidth (after the
    /// transfers already using the receiver's link, with contention), if the peer is alive
    /// and still holds it then, its bytes are copied on the network pool and arrive.
    private func startFetch(
        _ worker: RealWorker, _ task: TaskID, from peer: WorkerID, size: Int64
    ) {
        let network = configuration.cluster.network
        let now = control.now
        let start = network.contention ? max(now, worker.linkFreeAt) : now
        let end = start + configuration.scaled(network.transferTime(size))
        if network.contention { worker.linkFreeAt = end }
        record(
            .transferStarted, task: task, worker: worker.id,
            to: UInt8(truncatingIfNeeded: peer.index), detail: size)
        control.schedule(at: end) { [self] in
            guard worker.isAlive else { return }
            guard let source = self.worker(peer), source.isAlive,
                let data = source.store.withLock({ $0[task] })
            else {
                record(.transferEnded, task: task, worker: worker.id, from: 0)
                return workerHandles(worker, .fetchFailed(task, from: peer))
            }
            transfers.submit { [self] in
                let copy = data.copied()
                control.execute { [self] in
                    guard worker.isAlive else { return }
                    worker.store.withLock { $0[task] = copy }
                    record(
                        .transferEnded, task: task, worker: worker.id, from: 1, detail: copy.size)
                    workerHandles(worker, .fetchSucceeded(task, from: peer, size: copy.size))
                }
            }
        }
    }

    // MARK: Faults, and workers joining

    /// Schedules the faults that happen at a time.
    func scheduleFaults() {
        for fault in faults.timed {
            switch fault {
            case .kill(let name, let time):
                control.schedule(at: deadline(time)) { [self] in kill(name) }
            case .join(let setup, let time):
                control.schedule(at: deadline(time)) { [self] in join(setup) }
            case .window(let code, let name, let start, let end):
                recordWindow(code, worker: name, from: start, until: end)
            }
        }
    }

    /// Marks a fault window in the trace when it opens (reports draw it).
    private func recordWindow(
        _ code: FaultCode, worker name: String?, from start: Nanoseconds, until end: Nanoseconds
    ) {
        control.schedule(at: deadline(start)) { [self] in
            let id = name.flatMap { name in shared.withLock { $0.workerByName[name] } }
            record(.fault, worker: id, from: code.rawValue, detail: end - start)
        }
    }

    /// The worker's process dies now (killed by a fault, or by its nanny for its memory); the
    /// scheduler hears of it after the detection delay.
    private func kill(_ name: String, cause: FaultCode = .kill) {
        let target: RealWorker? = shared.withLock { state in
            guard let id = state.workerByName.removeValue(forKey: name) else { return nil }
            return state.workers[id.int]
        }
        guard let target else { return }
        record(.fault, worker: target.id, from: cause.rawValue)
        target.die()
        membership.died(name)
        let heard = actionTime + configuration.cluster.deathDetectionDelay
        control.schedule(at: deadline(heard)) { [self] in
            handleOnScheduler(.workerRemoved(target.id, expected: false))
        }
    }

    /// The nanny restarts a worker whose data passed its terminate threshold: the process is
    /// killed, and a fresh one joins once the scheduler has removed the dead one.
    private func restart(_ setup: WorkerSetup) {
        kill(setup.name, cause: .memory)
        join(setup)
    }

    /// A worker process starts and announces itself to the scheduler (once the scheduler has
    /// removed its previous process under the same name, if one died). Runs on the control
    /// loop.
    func join(_ setup: WorkerSetup) {
        let live = shared.withLock { $0.workerByName[setup.name] != nil }
        if let announced = membership.join(setup, isLive: live) {
            handleOnScheduler(.workerAdded(announced))
        }
    }

    /// The scheduler registered a worker: its process starts now.
    func workerJoined(_ id: WorkerID, name: String) {
        guard let setup = membership.joined(name) else { return }
        let worker = RealWorker(setup: setup, id: id, activity: activity)
        shared.withLock { state in
            while state.workers.count <= id.int { state.workers.append(nil) }
            state.workers[id.int] = worker
            state.processes.append(worker)
            state.workerByName[name] = id
        }
        record(.workerJoined, worker: id, detail: Int64(setup.threads))
    }
}

/// Carries an injected failure out of a task body, as the error it throws.
struct InjectedFailure: Error {
    var failure: TaskFailure
}
