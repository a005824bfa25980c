/// A task's state on a worker, as dask.distributed's worker state machine names them.
public enum WorkerTaskState: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Known, nothing to do for it.
    case released
    /// To compute here; some inputs are not here yet.
    case waiting
    /// An input to fetch from a peer, not yet asked for.
    case fetch
    /// Being fetched from a peer.
    case flight
    /// An input no known peer could provide; waits for news of where it lives.
    case missing
    /// To compute here; all inputs are here; waits for a thread.
    case ready
    /// Ready, but the resources it needs are taken.
    case constrained
    /// Running on one of the worker's threads.
    case executing
    /// Its result is in this worker's memory.
    case memory
    /// Its execution raised.
    case error
    /// The scheduler let it go while it was executing or in flight; what it was doing goes
    /// on, and its outcome will be dropped (see ``WorkerTask/previous``).
    case cancelled
    /// Cancelled, then wanted again before the execution or fetch ended; it will become what
    /// ``WorkerTask/next`` says.
    case resumed
    /// Dropped; the worker no longer knows it.
    case forgotten

    /// Whether a task moves directly from this state to `next` on a worker.
    public func canTransition(to next: WorkerTaskState) -> Bool {
        switch (self, next) {
        case (.released, .waiting), (.released, .fetch), (.released, .forgotten): true
        // Scattered data arriving (dask's update_data) puts a task that is not computed here
        // straight into memory.
        case (.released, .memory), (.fetch, .memory), (.missing, .memory), (.error, .memory): true
        case (.waiting, .ready), (.waiting, .constrained), (.waiting, .released): true
        case (.fetch, .flight), (.fetch, .missing), (.fetch, .released): true
        case (.flight, .memory), (.flight, .fetch), (.flight, .missing), (.flight, .cancelled),
            (.flight, .resumed):
            true
        case (.missing, .fetch), (.missing, .released): true
        case (.ready, .executing), (.ready, .constrained), (.ready, .released): true
        case (.constrained, .executing), (.constrained, .released): true
        case (.executing, .memory), (.executing, .error), (.executing, .cancelled): true
        case (.memory, .released): true
        case (.error, .released): true
        case (.cancelled, .released), (.cancelled, .executing), (.cancelled, .flight),
            (.cancelled, .resumed):
            true
        case (.resumed, .memory), (.resumed, .waiting), (.resumed, .fetch),
            (.resumed, .executing), (.resumed, .cancelled), (.resumed, .released):
            true
        default: false
        }
    }

    /// How the worker describes the state in a steal response.
    var report: WorkerTaskReport? {
        switch self {
        case .released, .forgotten: .released
        case .waiting: .waiting
        case .fetch: .fetch
        case .flight: .flight
        case .missing: .missing
        case .ready: .ready
        case .constrained: .constrained
        case .executing: .executing
        case .memory: .memory
        case .error: .error
        case .cancelled: .cancelled
        case .resumed: .resumed
        }
    }

    public var description: String {
        switch self {
        case .released: "released"
        case .waiting: "waiting"
        case .fetch: "fetch"
        case .flight: "flight"
        case .missing: "missing"
        case .ready: "ready"
        case .constrained: "constrained"
        case .executing: "executing"
        case .memory: "memory"
        case .error: "error"
        case .cancelled: "cancelled"
        case .resumed: "resumed"
        case .forgotten: "forgotten"
        }
    }
}
