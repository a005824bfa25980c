import Scheduling

/// A message as link faults see it: its kind, its endpoints and what it is about.
public struct MessageOnLink {
    public var kind: MessageKind
    /// Endpoint codes: ``MessageOnLink/client``, ``MessageOnLink/scheduler`` or a worker index.
    public var from: Int32
    public var to: Int32
    /// Whether the message is about a task.
    public var concerns: (TaskID) -> Bool

    /// The client's and the scheduler's codes (workers are their indices).
    public static let client: Int32 = -2
    public static let scheduler: Int32 = -1

    public init(kind: MessageKind, from: Int32, to: Int32, concerns: @escaping (TaskID) -> Bool) {
        self.kind = kind
        self.from = from
        self.to = to
        self.concerns = concerns
    }
}

/// The faults of a run that act on messages (link delays, partitions and holds), applied to
/// each message as it is sent. Both backends use it, so a fault means the same in either.
public struct LinkFaults: Sendable {
    private let windows: [Fault]
    /// Holds, and whether each (if not for all matches) was used.
    private var holds: [(rule: Hold, used: Bool)]

    /// The link faults among `faults` (the others are ignored).
    public init(_ faults: [Fault]) {
        windows = faults.filter {
            switch $0 {
            case .delayLink, .partition: true
            default: false
            }
        }
        holds = faults.compactMap {
            if case .hold(let rule) = $0 { return (rule, false) }
            return nil
        }
    }

    /// Whether no fault acts on messages.
    public var isEmpty: Bool { windows.isEmpty && holds.isEmpty }

    /// When a message sent at `now` arrives: after `queued` (time before it leaves) and the
    /// latency, plus what holds and delays add, or after a partition ends. `code` gives an
    /// endpoint's code (`nil` when it is not in the cluster), `task` a key's task; `held`
    /// hears of every hold applied.
    public mutating func arrival(
        of message: MessageOnLink, sentAt now: Nanoseconds, queued: Nanoseconds = 0,
        latency: Nanoseconds, code: (Endpoint) -> Int32?, task: (String) -> TaskID?,
        held: (Hold) -> Void
    ) -> Nanoseconds {
        var arrival = now.saturatingAdd(queued).saturatingAdd(latency)
            .saturatingAdd(holdDelay(of: message, sentAt: now, code: code, task: task, held: held))
        for fault in windows {
            switch fault {
            case .delayLink(let a, let b, let extra, let start, let end)
            where start <= now && now < end && connects(a, b, message, code):
                arrival += extra
            case .partition(let a, let b, let start, let end)
            where start <= now && now < end && connects(a, b, message, code):
                arrival = max(arrival, end.saturatingAdd(latency))
            default:
                break
            }
        }
        return arrival
    }

    /// How long the holds that match a message sent at `now` delay it (each hold not for all
    /// matches is used up by its first). Link windows do not count: they act on links, and a
    /// worker's own events (a transfer's outcome) are held only by holds.
    public mutating func holdDelay(
        of message: MessageOnLink, sentAt now: Nanoseconds, code: (Endpoint) -> Int32?,
        task: (String) -> TaskID?, held: (Hold) -> Void
    ) -> Nanoseconds {
        var delay: Nanoseconds = 0
        for index in holds.indices {
            let (rule, used) = holds[index]
            guard !used || rule.all, now >= rule.after, rule.message == message.kind,
                rule.from.map({ code($0) == message.from }) ?? true,
                rule.to.map({ code($0) == message.to }) ?? true
            else { continue }
            if let key = rule.key {
                guard let target = task(key), message.concerns(target) else { continue }
            }
            holds[index].used = true
            delay = delay.saturatingAdd(rule.by)
            held(rule)
        }
        return delay
    }

    private func connects(
        _ a: Endpoint, _ b: Endpoint, _ message: MessageOnLink, _ code: (Endpoint) -> Int32?
    ) -> Bool {
        let (a, b) = (code(a), code(b))
        return (a == message.from && b == message.to) || (a == message.to && b == message.from)
    }
}

extension Endpoint {
    /// The endpoint's code on a link, given the live workers' indices by name.
    public func code(workers: (String) -> WorkerID?) -> Int32? {
        switch self {
        case .client: MessageOnLink.client
        case .scheduler: MessageOnLink.scheduler
        case .worker(let name): workers(name).map { Int32($0.index) }
        }
    }
}
