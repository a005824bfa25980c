import Cluster
import Scheduling

/// Messages between client, scheduler and workers, with latency, link faults and order.
extension SimulatedCluster {
    /// Sends a message over the link between two endpoint codes (client −2, scheduler −1,
    /// worker id): it arrives after the latency (plus any delay a link fault adds, or when a
    /// partition ends), never before an earlier message on the same link.
    func deliver(
        _ action: SimulatedEvent.Action, from source: Int32, to destination: Int32,
        latency: Nanoseconds
    ) {
        var arrival = now + sendDelay + latency + held(action, from: source, to: destination)
        for fault in linkFaults {
            switch fault {
            case .delayLink(let a, let b, let extra, let start, let end)
            where start <= now && now < end && connects(a, b, source, destination):
                arrival += extra
            case .partition(let a, let b, let start, let end)
            where start <= now && now < end && connects(a, b, source, destination):
                arrival = max(arrival, end + latency)
            default:
                break
            }
        }
        let link = Link(from: source, to: destination)
        arrival = max(arrival, linkLastDelivery[link] ?? 0)
        linkLastDelivery[link] = arrival
        schedule(at: arrival, action)
    }

    /// The extra delay holds add to this message (first match only, unless a hold is for all).
    private func held(_ action: SimulatedEvent.Action, from source: Int32, to destination: Int32)
        -> Nanoseconds
    {
        guard !holds.isEmpty else { return 0 }
        var delay: Nanoseconds = 0
        for index in holds.indices {
            let (rule, used) = holds[index]
            guard !used || rule.all, now >= rule.after, matches(rule, action),
                rule.from.map({ code($0) == source }) ?? true,
                rule.to.map({ code($0) == destination }) ?? true
            else { continue }
            holds[index].used = true
            delay += rule.by
            record(.fault, from: FaultCode.hold.rawValue, detail: rule.by)
        }
        return delay
    }

    private func matches(_ rule: Hold, _ action: SimulatedEvent.Action) -> Bool {
        let task = rule.key.flatMap { scheduler.task(forKey: $0) }
        if rule.key != nil, task == nil { return false }
        switch action {
        case .toScheduler(let event):
            return event.kindCode == rule.message.rawValue && (task == nil || event.task == task)
        case .toWorker(_, _, let event):
            return event.kindCode == rule.message.rawValue && (task.map(event.concerns) ?? true)
        case .toClient(_, _, let reported, _):
            return rule.message == .report && (task == nil || reported == task)
        default:
            return false
        }
    }

    private func connects(_ a: Endpoint, _ b: Endpoint, _ x: Int32, _ y: Int32) -> Bool {
        let (a, b) = (code(a), code(b))
        return (a == x && b == y) || (a == y && b == x)
    }

    private func code(_ endpoint: Endpoint) -> Int32 {
        switch endpoint {
        case .client: clientCode
        case .scheduler: schedulerCode
        case .worker(let name): workerByName[name].map { $0.index } ?? -3
        }
    }

    /// Carries out the scheduler's commands.
    func route(_ commands: [SchedulerCommand]) {
        let latency = configuration.workerLatency
        for command in commands {
            switch command {
            case .compute(let request):
                toWorker(request.worker, .compute(request), latency: latency)
            case .freeKeys(let worker, let tasks):
                toWorker(worker, .freeKeys(tasks), latency: latency)
            case .stealRequest(let worker, let task, let steal):
                toWorker(worker, .stealRequest(task, steal: steal), latency: latency)
            case .workerGone(let gone):
                for case let worker? in workers where worker.alive && worker.machine.id != gone {
                    toWorker(worker.machine.id, .peerGone(gone), latency: latency)
                }
            case .report(let client, let task, _, let news):
                deliver(
                    .toClient(client, key: scheduler.key(of: task), task: task, news),
                    from: schedulerCode, to: clientCode, latency: configuration.clientLatency)
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
        workerCommands.removeAll(keepingCapacity: true)
        worker.machine.handle(event, into: &workerCommands)
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
                    latency: configuration.workerLatency)
            case .transition(let task, let from, let to):
                record(
                    .workerTransition, task: task, worker: id, from: from.rawValue, to: to.rawValue)
            }
        }
    }
}
