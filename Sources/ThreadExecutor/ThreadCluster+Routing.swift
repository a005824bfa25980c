import Cluster
import Futures
import Scheduling

/// Messages between client, scheduler and workers, and the scheduler's side of the cluster.
extension ThreadCluster {
    /// Runs `action` on the control loop when the message sent at the monotonic time `sent`
    /// (ns; the running action's time by default) arrives: after the scaled latency plus
    /// what link faults add, never before an earlier message on the same link.
    func deliver(
        _ message: MessageOnLink, sentAt sentInstant: Int64? = nil, latency: Nanoseconds,
        _ action: @escaping () -> Void
    ) {
        let sentInstant = sentInstant ?? control.now
        var deadline = sentInstant + configuration.scaled(latency)
        if hasLinkFaults {
            let sent = modelTime(at: sentInstant)
            deadline = shared.withLock { state in
                var faults = state.linkFaults
                let names = state.workerByName
                let tasks = state.heldTasks
                var holds: [Hold] = []
                let arrival = faults.arrival(
                    of: message, sentAt: sent, latency: latency,
                    code: { $0.code { names[$0] } }, task: { tasks[$0] },
                    held: { holds.append($0) })
                state.linkFaults = faults
                for hold in holds {
                    state.clientRecords.append(
                        TraceRecord(
                            time: sent, kind: .fault, from: FaultCode.hold.rawValue,
                            detail: hold.by))
                }
                let link = Int64(message.from) << 32 | Int64(UInt32(bitPattern: message.to))
                let due = max(self.deadline(arrival), state.linkLastDelivery[link] ?? 0)
                state.linkLastDelivery[link] = due
                return due
            }
        }
        control.schedule(at: deadline, action)
    }

    /// Sends a message to the scheduler at the monotonic time `sent` (the running action's
    /// by default); `bodies` go with a graph update (see ``ClusterBackend/send(_:bodies:from:)``).
    func toScheduler(
        _ event: SchedulerEvent, bodies: [TaskBody] = [], from source: Int32,
        sentAt sent: Int64? = nil, latency: Nanoseconds
    ) {
        let message = MessageOnLink(
            kind: MessageKind(rawValue: event.kindCode)!, from: source,
            to: MessageOnLink.scheduler, concerns: event.concerns)
        deliver(message, sentAt: sent, latency: latency) { [self] in
            handleOnScheduler(event, bodies: bodies)
        }
    }

    /// The scheduler handles one event (on the control loop) and its commands are carried
    /// out.
    func handleOnScheduler(_ event: SchedulerEvent, bodies graph: [TaskBody] = []) {
        eventCount.add(1, ordering: .relaxed)
        record(.delivered, from: event.kindCode, to: 0)
        schedulerCommands.removeAll(keepingCapacity: true)
        scheduler.handle(event, at: actionTime, into: &schedulerCommands)
        if event.bringsBodies {
            // A key sent again may come with another body: its work is put together anew.
            for task in bodies.file(graph, with: event, in: scheduler)
            where task.int < workByTask.count {
                workByTask[task.int] = nil
            }
            if !holdKeys.isEmpty { resolveHeldKeys() }
        }
        // A balancing tick that changed nothing while nothing else is outstanding: the next
        // one would find the same state, so it does not keep the cluster from going quiet
        // (a hang under work stealing would otherwise never be reported).
        if scheduler.lastTickChangedNothing,
            activity.outstanding == (control.runningCounted ? 1 : 0)
        {
            wakesCounted = false
        }
        route(schedulerCommands)
        wakesCounted = true
        if configuration.cluster.checksInvariants {
            let violations = scheduler.changedInvariantViolations()
            if !violations.isEmpty { fail(violations) }
        }
    }

    private func resolveHeldKeys() {
        let resolved = holdKeys.compactMap { key in scheduler.task(forKey: key).map { (key, $0) } }
        shared.withLock { state in
            for (key, task) in resolved { state.heldTasks[key] = task }
        }
    }

    /// Carries out the scheduler's commands.
    private func route(_ commands: [SchedulerCommand]) {
        for command in commands {
            switch command {
            case .compute(let request):
                toWorker(request.worker, .compute(request), work: work(for: request))
            case .updateData(let worker, let task, let run, let size):
                // The data rides with the message.
                let bytes =
                    configuration.materializesOutputs
                    ? [UInt8](repeating: 1, count: Int(size)) : nil
                let data = StoredResult(
                    value: bodies.scatteredValue(of: task, in: scheduler), size: size,
                    bytes: bytes)
                toWorker(
                    worker, .updateData(task, run: run, size: size), storing: (task, data),
                    streaming: size)
            case .freeKeys(let worker, let tasks):
                toWorker(worker, .freeKeys(tasks))
            case .refreshWhoHas(let worker, let inputs):
                toWorker(worker, .refreshWhoHas(inputs))
            case .stealRequest(let worker, let task, let steal):
                toWorker(worker, .stealRequest(task, steal: steal))
            case .workerGone(let gone):
                let live = shared.withLock { $0.workers.compactMap { $0 } }
                for worker in live where worker.id != gone && worker.isAlive {
                    toWorker(worker.id, .peerGone(gone))
                }
                // Queued, not nested in the scheduler's turn that removed its predecessor.
                if let waiting = membership.removed(scheduler.name(of: gone)) {
                    control.execute { [self] in join(waiting) }
                }
            case .report(let client, let task, _, let news):
                report(news, about: task, to: client)
            case .workerAdded(let worker, let name):
                workerJoined(worker, name: name)
            case .wakeAt(let time):
                control.schedule(at: deadline(time), counted: wakesCounted) { [self] in
                    handleOnScheduler(.tick)
                }
            case .transition(let task, let from, let to):
                record(.schedulerTransition, task: task, from: from.rawValue, to: to.rawValue)
            case .note(let task, let worker, let note):
                record(.note, task: task, worker: worker, from: note.code)
            }
        }
    }

    /// The body and keys a worker needs to run the task, put together once.
    private func work(for request: ComputeRequest) -> TaskWork {
        let task = request.task
        while workByTask.count <= task.int { workByTask.append(nil) }
        if let work = workByTask[task.int] { return work }
        let key = scheduler.key(of: task)
        let body = bodies.body(of: task, in: scheduler)
        let work = TaskWork(
            key: key, body: body, inputs: request.inputs.map(\.task),
            inputKeys: request.inputs.map { scheduler.key(of: $0.task) })
        workByTask[task.int] = work
        return work
    }

    /// Sends a report to its client; a finished one carries the value, read now from a
    /// worker that holds it.
    private func report(_ news: ClientReport, about task: TaskID, to client: ClientID) {
        let key = scheduler.key(of: task)
        var value: (any Sendable)?
        if case .finished = news {
            for holder in scheduler.replicas(of: task) {
                value = worker(holder)?.value(of: task)
                if value != nil { break }
            }
        }
        let message = MessageOnLink(
            kind: .report, from: MessageOnLink.scheduler, to: MessageOnLink.client,
            concerns: { task == $0 })
        deliver(message, latency: configuration.cluster.clientLatency) { [self] in
            record(.futureStatus, task: task, from: news.code)
            let receiver = shared.withLock { $0.clients[Int(client.index)].receiver }
            receiver?.receive(key: key, task: task, news: news, value: value)
        }
    }

    /// The live worker process with this id.
    func worker(_ id: WorkerID) -> RealWorker? {
        shared.withLock { state in id.int < state.workers.count ? state.workers[id.int] : nil }
    }

    /// Sends a worker a message, with what it needs to run a task (`work`) or data to keep
    /// (`storing`, whose `streaming` bytes add their time on the link to the latency).
    private func toWorker(
        _ id: WorkerID, _ event: WorkerEvent, work: TaskWork? = nil,
        storing data: (TaskID, StoredResult)? = nil, streaming bytes: Int64 = 0
    ) {
        guard let target = worker(id), target.isAlive else { return }
        let message = MessageOnLink(
            kind: MessageKind(rawValue: event.kindCode)!, from: MessageOnLink.scheduler,
            to: id.index, concerns: event.concerns)
        let latency =
            configuration.cluster.workerLatency
            + configuration.cluster.network.streamingTime(bytes)
        deliver(message, latency: latency) { [self] in
            guard target.isAlive else { return }
            if case .compute(let request) = event, let work { target.work[request.task] = work }
            if let (task, result) = data { target.store.withLock { $0[task] = result } }
            record(.delivered, worker: id, from: event.kindCode, to: 1)
            workerHandles(target, event)
        }
    }
}
