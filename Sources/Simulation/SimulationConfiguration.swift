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
    /// With shuffled ties: order them PCT-style (Burckhardt et al.) instead of at random.
    /// Every endpoint (client, scheduler, each worker) gets a random priority, events due at
    /// the same time go to the highest-priority endpoint first, and at this many points of
    /// the run (drawn from the seed) the endpoint just served drops below all others.
    public var pctChangePoints: Int?

    public init(
        shufflesTies: Bool = false, jittersLatency: Bool = false, pctChangePoints: Int? = nil
    ) {
        self.shufflesTies = shufflesTies
        self.jittersLatency = jittersLatency
        self.pctChangePoints = pctChangePoints
    }

    /// The nominal run.
    public static let none = Perturbation()
    /// Every perturbation.
    public static let all = Perturbation(shufflesTies: true, jittersLatency: true)
}

/// Everything a simulated cluster needs besides its workers and faults: the settings any
/// backend takes (``ClusterSettings``, readable and writable here by their own names), and
/// what only a simulation has.
@dynamicMemberLookup
public struct SimulationConfiguration: Sendable {
    /// What describes the cluster whichever backend runs it.
    public var cluster: ClusterSettings
    public var perturbation = Perturbation.none
    /// Time the scheduler spends on each event; events queue behind each other.
    public var schedulerOverhead: Nanoseconds
    /// Keep every trace record (the trace hash is always computed).
    public var keepsTrace: Bool
    /// About how many trace records the run will keep, to size the trace up front.
    public var expectedTraceRecords = 0
    /// Events after which the run is stopped, unsettled (``RunFailure/stopped(time:reason:)``):
    /// a budget for sweeps over scenarios whose size nobody checked. `nil`: no limit.
    public var eventLimit: Int?

    public init(
        seed: UInt64 = 1, policy: String = "locality",
        scheduler: SchedulerConfiguration = SchedulerConfiguration(),
        network: NetworkModel = NetworkModel(), clientLatency: Nanoseconds = 0,
        workerLatency: Nanoseconds = 0, schedulerOverhead: Nanoseconds = 0,
        deathDetectionDelay: Nanoseconds = 0, checksInvariants: Bool = true,
        keepsTrace: Bool = true
    ) {
        cluster = ClusterSettings(
            seed: seed, policy: policy, scheduler: scheduler, network: network,
            clientLatency: clientLatency, workerLatency: workerLatency,
            deathDetectionDelay: deathDetectionDelay, checksInvariants: checksInvariants)
        self.schedulerOverhead = schedulerOverhead
        self.keepsTrace = keepsTrace
    }

    public subscript<Value>(dynamicMember path: WritableKeyPath<ClusterSettings, Value>) -> Value {
        get { cluster[keyPath: path] }
        set { cluster[keyPath: path] = newValue }
    }
}
