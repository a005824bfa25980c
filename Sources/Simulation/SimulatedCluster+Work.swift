import Cluster
import Scheduling

/// Executions, transfers, and workers dying and joining.
extension SimulatedCluster {
    /// Runs the task's closure now, for its value, and ends the execution after its modelled
    /// duration at the worker's current speed.
    func startExecution(_ worker: VirtualWorker, _ task: TaskID, run: RunID) {
        while attempts.count <= task.int { attempts.append(0) }
        attempts[task.int] += 1
        let attempt = attempts[task.int]
        let id = worker.machine.id
        record(.executionStarted, task: task, worker: id, detail: Int64(run.value))
        let body = bodies.body(of: task, in: scheduler)
        let duration = Nanoseconds(
            Double(body.model.duration.sample(using: &durations)) / speed(of: worker))
        let outcome: ExecutionOutcome
        if let injected = injectedFailure(task, attempt: attempt) {
            record(
                .fault, task: task, worker: id, from: FaultCode.failTask.rawValue,
                detail: Int64(attempt))
            outcome = .failure(injected)
        } else {
            // The scheduler's dependencies are the body's, in the same order.
            let inputs: [any Sendable] = scheduler.dependencies(of: task).map { input in
                worker.store[input] ?? MissingInput(key: scheduler.key(of: input))
            }
            do {
                let value = try body(inputs)
                outcome = .value(value, size: body.model.outputSize, duration: duration)
            } catch {
                let origin = UInt64(errorObjects.count + 1)
                errorObjects[origin] = error
                outcome = .failure(
                    TaskFailure(kind: "\(type(of: error))", message: "\(error)", origin: origin))
            }
        }
        schedule(
            at: now + duration,
            .executionEnded(id, generation: worker.generation, task, outcome))
    }

    private func speed(of worker: VirtualWorker) -> Double {
        faults.speed(of: worker.spec.name, base: worker.spec.speed, at: now)
    }

    private func injectedFailure(_ task: TaskID, attempt: Int) -> TaskFailure? {
        guard hasTaskFaults else { return nil }
        return faults.injectedFailure(key: scheduler.key(of: task), attempt: attempt) {
            faultDraws.unit()
        }
    }

    func executionEnded(_ worker: VirtualWorker, _ task: TaskID, _ outcome: ExecutionOutcome) {
        let id = worker.machine.id
        switch outcome {
        case .value(let value, let size, let duration):
            record(.executionEnded, task: task, worker: id, from: 1, detail: duration)
            worker.store[task] = value
            workerHandles(worker, .executionSucceeded(task, outputSize: size, duration: duration))
        case .failure(let failure):
            record(.executionEnded, task: task, worker: id, from: 0)
            workerHandles(worker, .executionFailed(task, failure: failure))
        }
    }

    /// Moves a result from a peer: latency plus size over bandwidth, after the transfers
    /// already using the receiver's link when links are contended.
    func startFetch(_ worker: VirtualWorker, _ task: TaskID, from peer: WorkerID, size: Int64) {
        let network = configuration.cluster.network
        let start = network.contention ? max(now, worker.linkFreeAt) : now
        let end = start + network.transferTime(size)
        if network.contention { worker.linkFreeAt = end }
        record(
            .transferStarted, task: task, worker: worker.machine.id,
            to: UInt8(truncatingIfNeeded: peer.index), detail: size)
        schedule(
            at: end,
            .fetchEnded(
                worker.machine.id, generation: worker.generation, task, from: peer, size: size))
    }

    /// A transfer ends: it delivers the data if the peer is alive and still holds it.
    func fetchEnded(_ worker: VirtualWorker, _ task: TaskID, from peer: WorkerID, size: Int64) {
        if let source = workers[peer.int], source.alive, let value = source.store[task] {
            let size = source.machine.task(task)?.size ?? size
            record(.transferEnded, task: task, worker: worker.machine.id, from: 1, detail: size)
            worker.store[task] = value
            workerHandles(worker, .fetchSucceeded(task, from: peer, size: size))
        } else {
            record(.transferEnded, task: task, worker: worker.machine.id, from: 0)
            workerHandles(worker, .fetchFailed(task, from: peer))
        }
    }

    /// The worker's process dies now (killed by a fault, or by its nanny for its memory); the
    /// scheduler hears of it after the detection delay.
    func kill(_ name: String, cause: FaultCode = .kill) {
        guard let id = workerByName[name], let worker = workers[id.int] else { return }
        record(.fault, worker: id, from: cause.rawValue)
        worker.alive = false
        worker.store = [:]
        workerByName[name] = nil
        membership.died(name)
        schedule(
            at: now + configuration.cluster.deathDetectionDelay,
            .toScheduler(.workerRemoved(id, expected: false)))
    }

    /// The nanny restarts a worker whose data passed its terminate threshold: the process is
    /// killed, and a fresh one joins once the scheduler has removed the dead one.
    func restart(_ spec: WorkerSetup) {
        kill(spec.name, cause: .memory)
        join(spec)
    }

    /// A worker process starts and announces itself to the scheduler (once the scheduler has
    /// removed its previous process under the same name, if one died).
    func join(_ spec: WorkerSetup) {
        if let announced = membership.join(spec, isLive: workerByName[spec.name] != nil) {
            schedule(at: now, .toScheduler(.workerAdded(announced)))
        }
    }

    /// The scheduler registered a worker: its process exists from now on.
    func workerJoined(_ worker: WorkerID, name: String) {
        guard let spec = membership.joined(name) else { return }
        while workers.count <= worker.int { workers.append(nil) }
        generations += 1
        workers[worker.int] = VirtualWorker(spec: spec, id: worker, generation: generations)
        workerByName[name] = worker
        record(.workerJoined, worker: worker, detail: Int64(spec.threads))
    }
}
