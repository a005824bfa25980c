import Cluster
import Scheduling

/// A virtual worker: its threads, how fast it computes, its memory and resources.
public struct VirtualWorkerSpec: Sendable, Hashable {
    public var name: String
    public var threads: Int
    /// A task's modelled duration is divided by this.
    public var speed: Double
    /// Bytes; `nil` for no limit.
    public var memory: Int64?
    public var resources: [String: Double]

    public init(
        name: String, threads: Int = 1, speed: Double = 1, memory: Int64? = nil,
        resources: [String: Double] = [:]
    ) {
        self.name = name
        self.threads = threads
        self.speed = speed
        self.memory = memory
        self.resources = resources
    }
}

/// How data moves between workers.
public struct NetworkModel: Sendable, Hashable {
    /// Time before the first byte of a transfer arrives.
    public var latency: Nanoseconds
    /// Bytes per second of a worker's incoming link.
    public var bandwidth: Int64
    /// Whether transfers into one worker share its link (one after another) or each get the
    /// full bandwidth.
    public var contention: Bool

    public init(latency: Nanoseconds = 0, bandwidth: Int64 = 100_000_000, contention: Bool = true) {
        self.latency = latency
        self.bandwidth = bandwidth
        self.contention = contention
    }

    /// The time to move `bytes` over a free link.
    public func transferTime(_ bytes: Int64) -> Nanoseconds {
        latency + Nanoseconds((Double(bytes) * 1e9 / Double(bandwidth)).rounded(.up))
    }
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
