import Cluster
import Scheduling

/// Messages between client, scheduler and workers, with latency, link faults and order.
extension SimulatedCluster {
    /// Sends a message over the link between two endpoint codes (client −2, scheduler −1,
    /// worker id): it arrives after the latency (plus what link faults add), never before an
    /// earlier message on the same link. Returns its slot in the event table.
    @discardableResult
    func deliver(
        _ action: SimulatedEvent.Action, from source: Int32, to destination: Int32,
        latency: Nanoseconds
    ) -> Int32 {
        let spread =
            source == clientCode || destination == clientCode
            ? configuration.clientJitter : configuration.workerJitter
        let latency =
            latency
            + (configuration.perturbation.jittersLatency
                ? Nanoseconds(jitter.next() % UInt64(spread + 1)) : spread / 2)
        var arrival = now + sendDelay + latency
        if !linkFaults.isEmpty, let message = message(action, from: source, to: destination) {
            arrival = linkFaults.arrival(
                of: message, sentAt: now, queued: sendDelay, latency: latency,
                code: { $0.code { workerByName[$0] } }, task: scheduler.task(forKey:),
                held: { record(.fault, from: FaultCode.hold.rawValue, detail: $0.by) })
        }
        let link = Link(from: source, to: destination)
        // With shuffled ties, a message must arrive strictly after the one before it.
        let order: Nanoseconds = configuration.perturbation.shufflesTies ? 1 : 0
        // One lookup; a link with no message yet (−1) holds nothing back.
        func settle(_ last: inout Nanoseconds) {
            arrival = max(arrival, last + order)
            last = arrival
        }
        settle(&linkLastDelivery[link, default: -1])
        return schedule(at: arrival, action)
    }

    private func message(_ action: SimulatedEvent.Action, from source: Int32, to destination: Int32)
        -> MessageOnLink?
    {
        switch action {
        case .toScheduler(let event):
            MessageOnLink(
                kind: MessageKind(rawValue: event.kindCode)!, from: source, to: destination,
                concerns: event.concerns)
        case .toWorker(_, _, let event):
            MessageOnLink(
                kind: MessageKind(rawValue: event.kindCode)!, from: source, to: destination,
                concerns: event.concerns)
        case .toClient(_, _, let reported, _):
            MessageOnLink(
                kind: .report, from: source, to: destination, concerns: { reported == $0 })
        default:
            nil
        }
    }

    /// Carries out the scheduler's commands.
    func route(_ commands: [SchedulerCommand]) {
        let latency = configuration.cluster.workerLatency
        for command in commands {
            switch command {
            case .compute(let request):
                toWorker(request.worker, .compute(request), latency: latency)
            case .updateData(let worker, let task, let run, let size):
                // The data rides with the message.
                toWorker(
                    worker, .updateData(task, run: run, size: size),
                    latency: latency + configuration.cluster.network.streamingTime(size))
            case .freeKeys(let worker, let tasks):
                toWorker(worker, .freeKeys(tasks), latency: latency)
            case .refreshWhoHas(let worker, let inputs):
                toWorker(worker, .refreshWhoHas(inputs), latency: latency)
            case .stealRequest(let worker, let task, let steal):
                toWorker(worker, .stealRequest(task, steal: steal), latency: latency)
            case .workerGone(let gone):
                for case let worker? in workers where worker.alive && worker.machine.id != gone {
                    toWorker(worker.machine.id, .peerGone(gone), latency: latency)
                }
                if let waiting = membership.removed(scheduler.name(of: gone)) { join(waiting) }
            case .report(let client, let task, _, let news):
                deliver(
                    .toClient(client, key: scheduler.key(of: task), task: task, news),
                    from: schedulerCode, to: clientCode,
                    latency: configuration.cluster.clientLatency)
            case .workerAdded(let worker, let name):
                workerJoined(worker, name: name)
            case .wakeAt(let time):
                schedule(at: max(time, now + sendDelay), .toScheduler(.tick))
            case .transition(let task, let from, let to):
                record(.schedulerTransition, task: task, from: from.rawValue, to: to.rawValue)
            case .note(let task, let worker, let note):
                record(.note, task: task, worker: worker, from: note.code)
            }
        }
    }

    private func toWorker(_ worker: WorkerID, _ event: WorkerEvent, latency: Nanoseconds) {
        guard let target = workers[worker.int], target.alive else { return }
        deliver(
            .toWorker(worker, generation: target.generation, event), from: schedulerCode,
            to: worker.index, latency: latency)
    }

    /// A worker handles an event and its commands are carried out.
    func workerHandles(_ worker: VirtualWorker, _ event: WorkerEvent) {
        workerCommands.clearForReuse()
        worker.machine.handle(event, into: &workerCommands)
        workerTouched = worker
        let commands = workerCommands
        let id = worker.machine.id
        for command in commands {
            switch command {
            case .execute(let task, let run):
                startExecution(worker, task, run: run)
            case .fetch(let task, let peer, let size):
                startFetch(worker, task, from: peer, size: size)
            case .freeData(let task):
                worker.store[task] = nil
            case .send(let message):
                deliver(
                    .toScheduler(message.event(from: id)), from: id.index, to: schedulerCode,
                    latency: configuration.cluster.workerLatency)
            case .transition(let task, let from, let to):
                record(
                    .workerTransition, task: task, worker: id, from: from.rawValue, to: to.rawValue)
            case .exceededMemory:
                restart(worker.spec)
            }
        }
    }
}
