import Futures
import Scheduling

/// Blocking on a simulated cluster's futures runs the simulation until the condition holds
/// or the virtual deadline passes; no thread ever sleeps.
final class SimulationWaitStrategy: WaitStrategy, @unchecked Sendable {
    private weak var cluster: SimulatedCluster?

    init(cluster: SimulatedCluster) { self.cluster = cluster }

    var now: Duration { .nanoseconds(cluster?.now ?? 0) }

    var drivesProgress: Bool { true }

    func makeSignal() -> any WaitSignal { SimulationSignal(strategy: self) }

    func wait(until deadline: Duration?, for condition: () -> Bool) -> Bool {
        guard let cluster else { return condition() }
        return cluster.advance(until: deadline?.nanoseconds, while: condition)
    }
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
