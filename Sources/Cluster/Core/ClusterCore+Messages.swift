import Scheduling

/// Messages between client, scheduler and workers: latency, jitter, link faults and order.
extension ClusterCore {
    /// Sends `event` over the link between two endpoint codes: it arrives after the latency
    /// (plus jitter and what link faults add), never before an earlier message on the same
    /// link.
    func deliver(
        _ event: ClusterEvent, from source: Int32, to destination: Int32, latency: Nanoseconds,
        sentAt: Nanoseconds? = nil
    ) {
        let sent = sentAt ?? driver.now
        let spread =
            source == MessageOnLink.client || destination == MessageOnLink.client
            ? settings.clientJitter : settings.workerJitter
        let latency =
            latency
            + (model.drawsJitter ? Nanoseconds(jitter.next() % UInt64(spread + 1)) : spread / 2)
        var arrival = sent + sendDelay + latency
        if !linkFaults.isEmpty, let message = message(event, from: source, to: destination) {
            arrival = linkFaults.arrival(
                of: message, sentAt: sent, queued: sendDelay, latency: latency,
                code: { $0.code { workerByName[$0] } }, task: scheduler.task(forKey:),
                held: { record(.fault, from: FaultCode.hold.rawValue, detail: $0.by) })
        }
        let order: Nanoseconds = model.spacesLinkArrivals ? 1 : 0
        // One lookup; a link with no message yet (−1) holds nothing back.
        func settle(_ last: inout Nanoseconds) {
            arrival = max(arrival, last + order)
            last = arrival
        }
        settle(&linkLastArrival[Link(from: source, to: destination), default: -1])
        driver.schedule(event, at: arrival, keepsBusy: true)
    }

    /// The message as link faults see it.
    private func message(_ event: ClusterEvent, from source: Int32, to destination: Int32)
        -> MessageOnLink?
    {
        switch event {
        case .toScheduler(let message):
            MessageOnLink(
                kind: MessageKind(rawValue: message.kindCode)!, from: source, to: destination,
                concerns: message.concerns)
        case .releases:
            MessageOnLink(kind: .release, from: source, to: destination, concerns: { _ in false })
        case .toWorker(_, _, let message):
            MessageOnLink(
                kind: MessageKind(rawValue: message.kindCode)!, from: source, to: destination,
                concerns: message.concerns)
        case .toClient(_, _, let reported, _):
            MessageOnLink(
                kind: .report, from: source, to: destination, concerns: { reported == $0 })
        default:
            nil
        }
    }

    /// Sends a worker process a message from the scheduler, if it is alive.
    func toWorker(_ worker: WorkerID, _ event: WorkerEvent, latency: Nanoseconds) {
        guard let target = workers[worker.int], target.alive else { return }
        deliver(
            .toWorker(worker, generation: target.generation, event),
            from: MessageOnLink.scheduler, to: worker.index, latency: latency)
    }
}
