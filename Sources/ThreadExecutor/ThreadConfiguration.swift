import Cluster
import Scheduling

/// Everything a thread-backed cluster needs besides its workers and faults.
///
/// Times are in the scenario's nanoseconds; the cluster multiplies each by ``timeScale``
/// before it sleeps, and divides wall-clock times by it before it records them, so a trace
/// of a scaled run reads in the same units as its simulation.
public struct ThreadConfiguration: Sendable {
    /// Seeds the random streams (durations, faults, keys, the random policy). A real run is
    /// not reproducible from it (threads interleave as they will), only its draws are.
    public var seed: UInt64
    /// The scheduling policy, by name (see ``PolicyRegistry``).
    public var policy: String
    public var scheduler: SchedulerConfiguration
    /// Latency and bandwidth of transfers, carried out as real delays.
    public var network: NetworkModel
    /// One-way delay added to each message between the client and the scheduler.
    public var clientLatency: Nanoseconds
    /// One-way delay added to each message between the scheduler and a worker.
    public var workerLatency: Nanoseconds
    /// How long after a worker dies the scheduler learns of it.
    public var deathDetectionDelay: Nanoseconds
    /// Wall-clock time per unit of modelled time: 0.01 runs a 10 s scenario in about 0.1 s.
    public var timeScale: Double
    /// Whether a task's modelled result size becomes a real byte buffer, copied on transfer.
    public var materializesOutputs: Bool
    /// Check the scheduler's invariants after each of its events, and every worker's after
    /// each of its own.
    public var checksInvariants: Bool
    /// Policies beyond the shipped ones that `policy` may name.
    public var customPolicies: [PolicyFactory] = []

    public init(
        seed: UInt64 = 1, policy: String = "locality",
        scheduler: SchedulerConfiguration = SchedulerConfiguration(),
        network: NetworkModel = NetworkModel(latency: 0, bandwidth: 1 << 40),
        clientLatency: Nanoseconds = 0, workerLatency: Nanoseconds = 0,
        deathDetectionDelay: Nanoseconds = 0, timeScale: Double = 1,
        materializesOutputs: Bool = false, checksInvariants: Bool = false
    ) {
        precondition(timeScale > 0, "the time scale must be positive")
        self.seed = seed
        self.policy = policy
        self.scheduler = scheduler
        self.network = network
        self.clientLatency = clientLatency
        self.workerLatency = workerLatency
        self.deathDetectionDelay = deathDetectionDelay
        self.timeScale = timeScale
        self.materializesOutputs = materializesOutputs
        self.checksInvariants = checksInvariants
    }

    /// The wall-clock nanoseconds a modelled time takes.
    func scaled(_ time: Nanoseconds) -> Int64 { Int64((Double(time) * timeScale).rounded()) }
}
