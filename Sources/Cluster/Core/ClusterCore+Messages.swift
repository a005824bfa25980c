import Scheduling

/// Messages between client, scheduler and workers: latency, jitter, link faults and order.
extension ClusterCore {
    /// Sends `event` over the link between two endpoint codes: it arrives after the latency
    /// (plus jitter and what link faults add), never before an earlier message on the same
    /// link. On a batched stream (`interval` above zero), as in dask's `BatchedSend`, a
    /// message joins the stream's waiting batch if there is one; else it opens one, which
    /// leaves at once if the stream last sent at least `interval` ago, else at the last send
    /// plus `interval`. At once means after the event sending it is handled, with whatever
    /// else it sent on the stream; a client call's message waits for the cluster's next
    /// event, so the calls a program makes at one instant travel together.
    ///
    /// An `rpc` (a message with data, dask's separate comm) leaves at once when the stream is
    /// idle; when messages sent before it wait on the stream, it joins them and leaves after
    /// them. dask's RPC can overtake them there: a `free-keys` or a client's release of a key
    /// then lands after the new data of the same key and destroys it. Orrery keeps each
    /// sender's order instead, so an earlier generation's message never touches a newer one.
    func deliver(
        _ event: consuming ClusterEvent, from source: Int32, to destination: Int32,
        latency: Nanoseconds, sentAt: Nanoseconds? = nil, interval: Nanoseconds = 0,
        rpc: Bool = false
    ) {
        let sent = sentAt ?? now
        let link = Link(from: source, to: destination)
        if rpc, !links[link].waiting.isEmpty {
            links[link].waiting.append(event)
            links[link].joinedLatency = max(links[link].joinedLatency, latency)
            return
        }
        if interval > 0, !rpc {
            let handed = sent.saturatingAdd(sendDelay)
            var departure: Nanoseconds?
            // One lookup.
            func hand(_ state: inout LinkState, _ event: consuming ClusterEvent) {
                if state.waiting.isEmpty {
                    departure = max(handed, state.lastSend.saturatingAdd(interval))
                }
                state.waiting.append(event)
            }
            hand(&links[link], event)
            if let departure {
                if departure == handed, handling {
                    departing.append((link, latency, handed))
                } else {
                    schedule(
                        .streamDeparts(from: source, to: destination, latency: latency),
                        at: departure, keepsBusy: true)
                }
            }
            return
        }
        transmit(event, on: link, sentAt: sent, queued: sendDelay, latency: latency)
    }

    /// The streams that found themselves idle leave with what was sent on them: the event
    /// that sent it is handled.
    func sendDeparting() {
        guard !departing.isEmpty else { return }
        // Swapped out, not copied: emptying a list still shared copied it first.
        swap(&departing, &leaving)
        for (link, latency, time) in leaving { departs(on: link, latency: latency, at: time) }
        leaving.removeEach()
    }

    /// The messages waiting on a link's stream leave together at `time`.
    func departs(on link: Link, latency: Nanoseconds, at time: Nanoseconds) {
        // One lookup. A message alone leaves its list to the stream's next ones. A batch takes
        // its list with it, and the stream's next one starts as large as this one (a stream
        // that batches many messages does so again: its list grows once), up to
        // ``reusedListLimit``.
        var joined: Nanoseconds = 0
        var alone: ClusterEvent?
        func take(_ state: inout LinkState) -> [ClusterEvent] {
            state.lastSend = time
            joined = state.joinedLatency
            state.joinedLatency = 0
            let count = state.waiting.count
            if count == 1 {
                alone = state.waiting.removeLast()
                return []
            }
            defer {
                state.waiting = []
                state.waiting.reserveCapacity(min(count, reusedListLimit))
            }
            return state.waiting
        }
        let events = take(&links[link])
        let latency = max(latency, joined)
        if let alone = alone.take() {
            transmit(alone, on: link, sentAt: time, queued: 0, latency: latency)
        } else {
            transmit(events, on: link, sentAt: time, queued: 0, latency: latency)
        }
    }

    /// Puts one message on a link: it arrives after the latency (plus jitter) and what link
    /// faults add, never before the message sent on the link before it.
    private func transmit(
        _ event: consuming ClusterEvent, on link: Link, sentAt sent: Nanoseconds,
        queued: Nanoseconds, latency: Nanoseconds
    ) {
        let latency = jittered(latency, on: link)
        let arrival = arrival(of: event, on: link, sentAt: sent, queued: queued, latency: latency)
        schedule(event, at: settled(arrival, on: link), keepsBusy: true)
    }

    /// Puts messages on a link as one delivery: they arrive together after the latency (one
    /// draw of jitter) and what link windows add. A message a hold delays leaves the batch
    /// with those after it (a link keeps its order), so the messages before it still arrive
    /// on time.
    private func transmit(
        _ events: [ClusterEvent], on link: Link, sentAt sent: Nanoseconds, queued: Nanoseconds,
        latency: Nanoseconds
    ) {
        guard events.count > 1 else {
            return transmit(events[0], on: link, sentAt: sent, queued: queued, latency: latency)
        }
        let latency = jittered(latency, on: link)
        guard !linkFaults.isEmpty else {
            // Without link faults every message of the batch arrives at once.
            return arrive(events, at: sent.saturatingAdd(queued).saturatingAdd(latency), on: link)
        }
        let arrivals = events.map {
            arrival(of: $0, on: link, sentAt: sent, queued: queued, latency: latency)
        }
        // Windows act on every message of the link alike; a hold on one alone.
        let onTime = arrivals.min()!
        let held = arrivals.firstIndex { $0 > onTime } ?? events.count
        if held > 0 { arrive(Array(events[..<held]), at: onTime, on: link) }
        if held < events.count {
            arrive(Array(events[held...]), at: arrivals[held...].max()!, on: link)
        }
    }

    /// The latency plus the link's jitter: drawn within it, or half of it.
    private func jittered(_ latency: Nanoseconds, on link: Link) -> Nanoseconds {
        let spread =
            link.from == MessageOnLink.client || link.to == MessageOnLink.client
            ? settings.clientJitter : settings.workerJitter
        return latency.saturatingAdd(
            model.drawsJitter ? Nanoseconds(jitter.next() % UInt64(spread + 1)) : spread / 2)
    }

    /// When a message sent now arrives: after the latency, plus what link faults add.
    private func arrival(
        of event: ClusterEvent, on link: Link, sentAt sent: Nanoseconds, queued: Nanoseconds,
        latency: Nanoseconds
    ) -> Nanoseconds {
        guard !linkFaults.isEmpty, let message = message(event, from: link.from, to: link.to)
        else { return sent.saturatingAdd(queued).saturatingAdd(latency) }
        return linkFaults.arrival(
            of: message, sentAt: sent, queued: queued, latency: latency,
            code: { $0.code { workerByName[$0] } }, task: taskKeys.id(of:),
            held: { record(.fault, from: FaultCode.hold.rawValue, detail: $0.by) })
    }

    /// `arrival`, or just after the link's last arrival if that is later; the link's last
    /// arrival from now on.
    private func settled(_ arrival: Nanoseconds, on link: Link) -> Nanoseconds {
        var arrival = arrival
        let order: Nanoseconds = model.spacesLinkArrivals ? 1 : 0
        // One lookup; a link with no message yet (−1) holds nothing back.
        func settle(_ state: inout LinkState) {
            arrival = max(arrival, state.lastArrival.saturatingAdd(order))
            state.lastArrival = arrival
        }
        settle(&links[link])
        return arrival
    }

    /// Messages arrive together at `arrival`, or after the link's last arrival.
    private func arrive(_ events: [ClusterEvent], at arrival: Nanoseconds, on link: Link) {
        let arrival = settled(arrival, on: link)
        if events.count == 1 {
            schedule(events[0], at: arrival, keepsBusy: true)
        } else {
            batchesSent += 1
            schedule(.batch(events, id: batchesSent), at: arrival, keepsBusy: true)
        }
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
        case .withBodies(let message, _):
            MessageOnLink(
                kind: MessageKind(rawValue: message.kindCode)!, from: source, to: destination,
                concerns: message.concerns)
        case .releases:
            MessageOnLink(kind: .release, from: source, to: destination, concerns: { _ in false })
        case .toWorker(_, _, let message):
            MessageOnLink(
                kind: MessageKind(rawValue: message.kindCode)!, from: source, to: destination,
                concerns: message.concerns)
        case .toClient(_, let reported, _):
            MessageOnLink(
                kind: .report, from: source, to: destination, concerns: { reported == $0 })
        default:
            nil
        }
    }

    /// Sends a worker process a message from the scheduler, if it is alive: on the worker's
    /// batched stream, unless it is an RPC of its own (data sent with it).
    func toWorker(
        _ worker: WorkerID, _ event: WorkerEvent, latency: Nanoseconds, batched: Bool = true
    ) {
        guard let target = workers[worker.int], target.alive else { return }
        deliver(
            .toWorker(worker, generation: target.generation, event),
            from: MessageOnLink.scheduler, to: worker.index, latency: latency,
            interval: settings.batching.schedulerToWorker, rpc: !batched)
    }
}
