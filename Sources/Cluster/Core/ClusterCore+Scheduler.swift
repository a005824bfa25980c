import Scheduling

/// The scheduler's side: taking messages, and carrying out its commands.
extension ClusterCore {
    /// A message reaches the scheduler: handled now, or, when the scheduler's time is
    /// modelled, on its next turn.
    func schedulerReceives(_ message: SchedulerEvent) {
        guard model.schedulerOverhead != nil else { return schedulerHandles(message) }
        schedulerInbox.append(message)
        requestSchedulerTurn()
    }

    private func requestSchedulerTurn() {
        guard !schedulerTurnPending else { return }
        schedulerTurnPending = true
        driver.schedule(.schedulerTurn, at: max(driver.now, schedulerFreeAt), keepsBusy: true)
    }

    /// The scheduler, free again, takes the next message waiting for it.
    func schedulerTurn() {
        schedulerTurnPending = false
        guard let message = schedulerInbox.popFirst() else { return }
        schedulerHandles(message)
        if !schedulerInbox.isEmpty { requestSchedulerTurn() }
    }

    /// The scheduler handles one message and its commands are carried out.
    private func schedulerHandles(_ message: SchedulerEvent) {
        eventsHandled += 1
        record(.delivered, from: message.kindCode, to: 0)
        schedulerCommands.clearForReuse()
        scheduler.handle(message, at: driver.now, into: &schedulerCommands)
        schedulerTouched = true
        if let overhead = model.schedulerOverhead {
            schedulerFreeAt = driver.now + overhead
            sendDelay = overhead
        }
        route(schedulerCommands, quietOtherwise: schedulerInbox.isEmpty && !driver.hasOtherWork)
        sendDelay = 0
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
                    latency: latency + settings.network.streamingTime(size))
            case .freeKeys(let worker, let tasks):
                toWorker(worker, .freeKeys(tasks), latency: latency)
            case .refreshWhoHas(let worker, let inputs):
                toWorker(worker, .refreshWhoHas(inputs), latency: latency)
            case .stealRequest(let worker, let task, let steal):
                toWorker(worker, .stealRequest(task, steal: steal), latency: latency)
            case .workerGone(let gone):
                for worker in liveWorkers where worker.id != gone {
                    toWorker(worker.id, .peerGone(gone), latency: latency)
                }
                if let waiting = membership.removed(scheduler.name(of: gone)) { join(waiting) }
            case .report(let client, let task, _, let news):
                deliver(
                    .toClient(client, key: scheduler.key(of: task), task: task, news),
                    from: MessageOnLink.scheduler, to: MessageOnLink.client,
                    latency: settings.clientLatency)
            case .workerAdded(let worker, let name):
                workerJoined(worker, name: name)
            case .graphAccepted(let tasks):
                bodies.file(bodiesInTransit.removeFirst(), under: tasks)
            case .wakeAt(let time, let idle):
                // The wake of a balancing tick that changed nothing, while nothing else is to
                // happen, finds the same state: it does not keep the cluster from going quiet
                // (a hang under work stealing would otherwise tick forever).
                driver.schedule(
                    .toScheduler(.tick), at: max(time, driver.now + sendDelay),
                    keepsBusy: !(idle && quietOtherwise))
            case .transition(let task, let from, let to):
                record(.schedulerTransition, task: task, from: from.rawValue, to: to.rawValue)
            case .note(let task, let worker, let note):
                record(.note, task: task, worker: worker, from: note.code)
            }
        }
    }
}
