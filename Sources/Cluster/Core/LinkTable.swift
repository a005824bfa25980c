import Scheduling

/// A directed link between two endpoints, by code (``MessageOnLink/client``,
/// ``MessageOnLink/scheduler`` or a worker's index). The scheduler is at one end of every
/// link: the client and the workers send their messages to it alone.
struct Link {
    var from: Int32
    var to: Int32
}

/// What the core keeps of a link: when its last message arrives (messages on a link arrive in
/// the order sent), and its batched stream.
struct LinkState {
    var lastArrival: Nanoseconds = -1
    /// When its stream last sent (far in the past before the first send).
    var lastSend = Nanoseconds.min / 2
    /// Messages waiting for the stream's next departure, in the order sent.
    var waiting: [ClusterEvent] = []
    /// The longest latency among RPCs that joined the waiting messages (their data takes
    /// longer to stream than a message): the departure takes it.
    var joinedLatency: Nanoseconds = 0
}

/// Every link's state, by its far end from the scheduler and its direction: two slots for the
/// client, then two for each worker, by index. Every message looks its link up, so a
/// position, not a hash.
struct LinkTable {
    private var states: [LinkState] = []

    /// The link's state: a link nothing was sent on yet has a fresh one.
    subscript(link: Link) -> LinkState {
        get {
            let position = Self.position(of: link)
            return position < states.count ? states[position] : LinkState()
        }
        _modify {
            let position = Self.position(of: link)
            if position >= states.count {
                states.append(
                    contentsOf: repeatElement(LinkState(), count: position + 1 - states.count))
            }
            yield &states[position]
        }
    }

    private static func position(of link: Link) -> Int {
        let towardScheduler = link.to == MessageOnLink.scheduler
        let far = towardScheduler ? link.from : link.to
        precondition(
            (towardScheduler || link.from == MessageOnLink.scheduler)
                && far != MessageOnLink.scheduler,
            "a link between \(link.from) and \(link.to) does not have the scheduler at one end")
        let end = far == MessageOnLink.client ? 0 : Int(far) + 1
        return end * 2 + (towardScheduler ? 1 : 0)
    }
}
