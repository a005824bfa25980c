import Scheduling

/// Which worker processes are on their way in or out, by name: the rules both backends follow
/// when workers die and join. A name killed may join again only after the scheduler heard of
/// the death; a name already live or joining does not join twice.
public struct Membership: Sendable {
    // Looked up only.
    private var joining: [String: WorkerSetup] = [:]
    /// When the scheduler hears of each killed worker's death, by name.
    private var removals: [String: Nanoseconds] = [:]

    public init() {}

    /// A worker process died at a time; the scheduler hears of it at `heard`.
    public mutating func died(_ name: String, heardAt heard: Nanoseconds) {
        removals[name] = heard
    }

    /// What to do with a worker asking to join at `now`: wait until the scheduler heard of
    /// its previous process's death (`.later`), announce it to the scheduler (`.announce`), or
    /// nothing (it is live or joining already).
    public mutating func join(_ setup: WorkerSetup, at now: Nanoseconds, isLive: Bool) -> Joining {
        if let heard = removals[setup.name], heard > now { return .later(heard) }
        guard !isLive, joining[setup.name] == nil else { return .ignore }
        joining[setup.name] = setup
        return .announce(
            WorkerSpec(
                name: setup.name, threads: setup.threads, memoryLimit: setup.memory,
                resources: setup.resources))
    }

    /// The scheduler registered the worker: its process starts with this setup (or `nil` if
    /// it was not joining).
    public mutating func joined(_ name: String) -> WorkerSetup? {
        guard let setup = joining.removeValue(forKey: name) else { return nil }
        removals[name] = nil
        return setup
    }

    /// What to do with a worker asking to join.
    public enum Joining: Sendable {
        case later(Nanoseconds)
        case announce(WorkerSpec)
        case ignore
    }
}
