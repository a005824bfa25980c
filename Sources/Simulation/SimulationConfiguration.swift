import Cluster
import Scheduling

/// Everything a simulated cluster needs besides its workers and faults.
public struct SimulationConfiguration: Sendable {
    /// Seeds every random stream (durations, faults, jitter, keys, the random policy).
    public var seed: UInt64
    /// The scheduling policy, by name (see ``PolicyRegistry``).
    public var policy: String
    public var scheduler: SchedulerConfiguration
    public var network: NetworkModel
    /// One-way latency of a message between the client and the scheduler.
    public var clientLatency: Nanoseconds
    /// One-way latency of a message between the scheduler and a worker.
    public var workerLatency: Nanoseconds
    /// Time the scheduler spends on each event; events queue behind each other.
    public var schedulerOverhead: Nanoseconds
    /// How long after a worker dies the scheduler learns of it.
    public var deathDetectionDelay: Nanoseconds
    /// Check every machine's invariants after every event (stops at the first violation).
    public var checksInvariants: Bool
    /// Keep every trace record (the trace hash is always computed).
    public var keepsTrace: Bool
    /// Policies beyond the shipped ones that `policy` may name.
    public var customPolicies: [PolicyFactory] = []

    public init(
        seed: UInt64 = 1, policy: String = "locality",
        scheduler: SchedulerConfiguration = SchedulerConfiguration(),
        network: NetworkModel = NetworkModel(), clientLatency: Nanoseconds = 0,
        workerLatency: Nanoseconds = 0, schedulerOverhead: Nanoseconds = 0,
        deathDetectionDelay: Nanoseconds = 0, checksInvariants: Bool = true,
        keepsTrace: Bool = true
    ) {
        self.seed = seed
        self.policy = policy
        self.scheduler = scheduler
        self.network = network
        self.clientLatency = clientLatency
        self.workerLatency = workerLatency
        self.schedulerOverhead = schedulerOverhead
        self.deathDetectionDelay = deathDetectionDelay
        self.checksInvariants = checksInvariants
        self.keepsTrace = keepsTrace
    }
}
