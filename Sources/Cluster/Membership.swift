import Scheduling

/// Which worker processes are on their way in or out, by name: the rules both backends follow
/// when workers die and join. A name killed may join again only once the scheduler has
/// handled the death (whatever order same-time events take); a name already live or joining
/// does not join twice.
public struct Membership: Sendable {
    // Looked up only.
    private var joining: [String: WorkerSetup] = [:]
    /// Names whose killed process the scheduler has not removed yet, each with the process
    /// waiting to join under it, if one asked.
    private var dying: [String: WorkerSetup?] = [:]

    public init() {}

    /// A worker process died; the scheduler has yet to remove it.
    public mutating func died(_ name: String) {
        dying[name] = .some(nil)
    }

    /// What to do with a worker asking to join: announce it to the scheduler (`.announce`),
    /// or nothing for now: it waits for the death of its previous process to be handled (see
    /// ``removed(_:)``), or it is live or joining already.
    public mutating func join(_ setup: WorkerSetup, isLive: Bool) -> WorkerSpec? {
        if dying[setup.name] != nil {
            dying[setup.name] = setup
            return nil
        }
        guard !isLive, joining[setup.name] == nil else { return nil }
        joining[setup.name] = setup
        return WorkerSpec(
            name: setup.name, threads: setup.threads, memoryLimit: setup.memory,
            resources: setup.resources)
    }

    /// The scheduler removed the worker of this name: the process waiting to join under it,
    /// if any, which the backend now asks to join again.
    public mutating func removed(_ name: String) -> WorkerSetup? {
        dying.removeValue(forKey: name) ?? nil
    }

    /// The scheduler registered the worker: its process starts with this setup (or `nil` if
    /// it was not joining).
    public mutating func joined(_ name: String) -> WorkerSetup? {
        joining.removeValue(forKey: name)
    }
}
