import Scheduling

/// The scheduler's side: taking messages, and carrying out its commands.
extension ClusterCore {
    /// The scheduler's message in an event that reaches it, with the bodies it brings (a
    /// release batch is delivered by it: no task joins it after this).
    func schedulerMessage(_ event: ClusterEvent) -> SchedulerMessage {
        switch event {
        case .toScheduler(let message):
            return SchedulerMessage(event: message)
        case .withBodies(let message, let bodies):
            return SchedulerMessage(event: message, bodies: bodies)
        case .releases(let batch):
            batch.delivered = true
            if openRelease === batch { openRelease = nil }
            return SchedulerMessage(event: .release(client: batch.client, tasks: batch.tasks))
        default:
            preconditionFailure("not a message to the scheduler")
        }
    }

    /// One delivery reaches the scheduler: `count` messages (one, or a batch's in the order
    /// sent), each its event at its position, handled now or, when the scheduler's time is
    /// modelled, on its next turn. Events are read where they lie: a copy of one goes through
    /// its type's value witnesses.
    func schedulerReceives(_ count: Int, batch: Int, _ event: (Int) -> SchedulerMessage) {
        guard model.schedulerOverhead != nil else {
            for index in 0..<count { schedulerHandles(event(index), batch: batch) }
            return
        }
        // A burst into an empty inbox (a graph sent task by task) takes what it needs, not
        // the next power of two.
        if schedulerInbox.isEmpty { schedulerInbox.reserveCapacity(count) }
        for index in 0..<count { schedulerInbox.append(event(index)) }
        inboxDeliveries.append((count, batch))
        requestSchedulerTurn()
    }

    private func requestSchedulerTurn() {
        guard !schedulerTurnPending else { return }
        schedulerTurnPending = true
        schedule(.schedulerTurn, at: max(now, schedulerFreeAt), keepsBusy: true)
    }

    /// The scheduler, free again, takes the next delivery waiting for it: each of its
    /// messages costs the overhead, and the commands of each go out once it is spent.
    func schedulerTurn() {
        schedulerTurnPending = false
        guard let (count, batch) = inboxDeliveries.popFirst() else { return }
        let overhead = model.schedulerOverhead ?? 0
        for index in 0..<count {
            sendDelay = overhead.saturatingMultiply(Nanoseconds(index + 1))
            schedulerHandles(schedulerInbox.removeFirst(), batch: batch)
        }
        sendDelay = 0
        // The storage a burst took goes back once it is handled.
        if count > reusedListLimit, schedulerInbox.isEmpty { schedulerInbox = [] }
        schedulerFreeAt = now.saturatingAdd(
            overhead.saturatingMultiply(Nanoseconds(count)))
        if !inboxDeliveries.isEmpty { requestSchedulerTurn() }
    }

    /// The scheduler handles one message (of `batch`, or 0 if it travelled alone) and its
    /// commands are carried out.
    private func schedulerHandles(_ message: consuming SchedulerMessage, batch: Int) {
        eventsHandled += 1
        // The event is read where it lies: a copy of it, or a method of it made a closure,
        // retains every list in it.
        let (direction, end) = message.event.delivery(joining: Int32(scheduler.workerCount))
        recordDelivery(
            message.event.kindCode, direction, end: end, state: message.event.answerCode,
            batch: batch, tasks: { message.event.forEachNamedTask($0) })
        schedulerCommands.clearForReuse()
        scheduler.handle(message.event, at: now, into: &schedulerCommands)
        if message.bodies != nil { bodiesOfMessage = message.bodies.take() }
        schedulerTouched = true
        let quiet = inboxDeliveries.isEmpty && !withDriver { $0.hasOtherWork }
        route(schedulerCommands, quietOtherwise: quiet)
    }

    /// Carries out the scheduler's commands; `quietOtherwise` says nothing but them is to
    /// happen in the cluster.
    private func route(_ commands: [SchedulerCommand], quietOtherwise: Bool) {
        let latency = settings.workerLatency
        for command in commands {
            switch command {
            case .compute(let request):
                toWorker(request.worker, .compute(request), latency: latency)
            case .updateData(let worker, let task, let run, let size):
                // The data rides with the message.
                toWorker(
                    worker, .updateData(task, run: run, size: size),
                    latency: latency.saturatingAdd(settings.network.streamingTime(size)),
                    batched: false)
            case .freeKeys(let tasks, let worker):
                toWorker(worker, .freeKeys(tasks), latency: latency)
            case .removeReplicas(let tasks, let worker):
                toWorker(worker, .removeReplicas(tasks), latency: latency)
            case .refreshWhoHas(let inputs, let worker):
                toWorker(worker, .refreshWhoHas(inputs), latency: latency)
            case .stealRequest(let worker, let task, let steal):
                toWorker(worker, .stealRequest(task, steal: steal), latency: latency)
            case .workerGone(let gone):
                for worker in liveWorkers where worker.id != gone {
                    toWorker(worker.id, .peerGone(gone), latency: latency)
                }
                if let waiting = membership.removed(scheduler.name(of: gone)) { join(waiting) }
            case .report(let news, let task, let client):
                deliver(
                    .toClient(client, task: task, news),
                    from: MessageOnLink.scheduler, to: MessageOnLink.client,
                    latency: settings.clientLatency, interval: settings.batching.schedulerToClient)
            case .workerAdded(let worker, let name):
                workerJoined(worker, name: name)
            case .graphAccepted(let tasks):
                bodies.file(bodiesOfMessage.take() ?? [], under: tasks)
            case .wakeAt(let time, let idle):
                // The wake of a balancing tick that changed nothing, while nothing else is to
                // happen, finds the same state: it does not keep the cluster from going quiet
                // (a hang under work stealing would otherwise tick forever).
                schedule(
                    .toScheduler(.tick), at: max(time, now.saturatingAdd(sendDelay)),
                    keepsBusy: !(idle && quietOtherwise))
            case .transition(let task, let from, let to):
                if to == .memory { restartsSinceProgress = 0 }
                record(.schedulerTransition, task: task, from: from.rawValue, to: to.rawValue)
            case .note(let task, let worker, let note):
                record(.note, task: task, worker: worker, from: note.code)
            }
        }
    }
}

extension ClusterEvent {
    /// Whether it is a message to the scheduler.
    var isSchedulerMessage: Bool {
        switch self {
        case .toScheduler, .withBodies, .releases: true
        default: false
        }
    }
}
