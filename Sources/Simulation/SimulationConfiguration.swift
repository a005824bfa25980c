import Cluster
import Scheduling

/// How a run departs from the scenario's one nominal interleaving, drawn from the seed (its
/// own streams), so a sweep of seeds explores orders a fixed seed never shows.
public struct Perturbation: Sendable, Hashable {
    /// Events due at the same virtual time happen in an order drawn from the seed, instead of
    /// the order they were scheduled (messages on one link still arrive in order).
    public var shufflesTies: Bool
    /// Each message's latency is drawn within its bounds (latency … latency + jitter) instead
    /// of taking the middle.
    public var jittersLatency: Bool

    public init(shufflesTies: Bool = false, jittersLatency: Bool = false) {
        self.shufflesTies = shufflesTies
        self.jittersLatency = jittersLatency
    }

    /// The nominal run.
    public static let none = Perturbation()
    /// Every perturbation.
    public static let all = Perturbation(shufflesTies: true, jittersLatency: true)
}

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
    /// How much longer than its latency a message may take (client↔scheduler, and
    /// scheduler↔workers): drawn per message when perturbing, else half of it.
    public var clientJitter: Nanoseconds = 0
    public var workerJitter: Nanoseconds = 0
    public var perturbation = Perturbation.none
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
    /// About how many trace records the run will keep, to size the trace up front.
    public var expectedTraceRecords = 0

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
