import Futures

/// Blocking on a simulated cluster's futures runs the simulation until the condition holds
/// or the virtual deadline passes; no thread ever sleeps.
final class SimulationWaitStrategy: WaitStrategy, @unchecked Sendable {
    /// The cluster while it lives. Held weakly through a handle the cluster owns, not
    /// directly: a weakly referenced object pays for it on every retain and release, and the
    /// cluster is retained on every event.
    private weak var handle: ClusterHandle?

    init(cluster: SimulatedCluster) { handle = cluster.handle }

    private var cluster: SimulatedCluster? { handle?.cluster }

    var now: Duration { .nanoseconds(cluster?.now ?? 0) }

    var drivesProgress: Bool { true }

    func makeSignal() -> any WaitSignal { SimulationSignal(strategy: self) }

    func wait(until deadline: Duration?, for condition: () -> Bool) -> Bool {
        guard let cluster else { return condition() }
        // A deadline beyond the clock's range is no deadline.
        let limit = deadline.map(\.nanoseconds).flatMap { $0 == .max ? nil : $0 }
        return cluster.advance(until: limit, while: condition)
    }
}

/// The cluster, as its wait strategy reaches it: owned by the cluster alone, so it dies with
/// it and the strategy's weak reference becomes nil.
final class ClusterHandle {
    unowned(unsafe) let cluster: SimulatedCluster

    init(_ cluster: SimulatedCluster) { self.cluster = cluster }
}

private final class SimulationSignal: WaitSignal, @unchecked Sendable {
    let strategy: SimulationWaitStrategy

    init(strategy: SimulationWaitStrategy) { self.strategy = strategy }

    /// Changes happen on the simulating thread, which re-checks the condition after every
    /// event anyway.
    func notify() {}

    func wait(until deadline: Duration?, for condition: () -> Bool) -> Bool {
        strategy.wait(until: deadline, for: condition)
    }
}
