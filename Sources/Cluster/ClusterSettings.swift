import Scheduling

/// What describes a cluster the same way whichever backend runs it: the seed, the policy and
/// the scheduler's settings, the network, message latencies and how soon a death is noticed.
public struct ClusterSettings: Sendable {
    /// Seeds every random stream (durations, faults, keys, the random policy, and in a
    /// simulation jitter and tie order).
    public var seed: UInt64
    /// The scheduling policy, by name (see ``PolicyRegistry``).
    public var policy: String
    public var scheduler: SchedulerConfiguration
    /// How data moves between workers.
    public var network: NetworkModel
    /// One-way latency of a message between the client and the scheduler.
    public var clientLatency: Nanoseconds
    /// One-way latency of a message between the scheduler and a worker.
    public var workerLatency: Nanoseconds
    /// How much longer than its latency a message may take (client↔scheduler, and
    /// scheduler↔workers): drawn per message where a driver draws it, else half of it.
    public var clientJitter: Nanoseconds = 0
    public var workerJitter: Nanoseconds = 0
    /// How long each direction's batched stream holds messages back (dask's by default).
    public var batching = BatchIntervals.dask
    /// How long after a worker dies the scheduler learns of it.
    public var deathDetectionDelay: Nanoseconds
    /// Check the machines' invariants after every event.
    public var checksInvariants: Bool
    /// Nanny restarts in a row, with no task reaching memory in between, that make a run a
    /// livelock (see ``RunFailure/stopped(time:reason:)``).
    public var restartsBeforeLivelock = 1_000
    /// Policies beyond the shipped ones that `policy` may name.
    public var customPolicies: [PolicyFactory] = []

    public init(
        seed: UInt64, policy: String, scheduler: SchedulerConfiguration, network: NetworkModel,
        clientLatency: Nanoseconds, workerLatency: Nanoseconds, deathDetectionDelay: Nanoseconds,
        checksInvariants: Bool
    ) {
        self.seed = seed
        self.policy = policy
        self.scheduler = scheduler
        self.network = network
        self.clientLatency = clientLatency
        self.workerLatency = workerLatency
        self.deathDetectionDelay = deathDetectionDelay
        self.checksInvariants = checksInvariants
    }

    /// A scheduler running the policy these settings name, reading its tasks' keys in
    /// `keyLookup` if given; it stops the program for a name nobody registered (callers check
    /// names first).
    public func makeScheduler(keyLookup: (any TaskKeyLookup)? = nil) -> Scheduler {
        guard
            let policy = PolicyRegistry.make(
                policy, seed: seed, stealInterval: scheduler.stealInterval, custom: customPolicies)
        else { preconditionFailure("unknown policy \(self.policy)") }
        return Scheduler(configuration: scheduler, policy: policy, keyLookup: keyLookup)
    }
}
