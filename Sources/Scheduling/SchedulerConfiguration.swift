/// The scheduler's settings, with dask.distributed's defaults (Semantics: Settings and their defaults).
public struct SchedulerConfiguration: Sendable, Hashable {
    /// Worker deaths a task may live through while processing before it errs with KilledWorker.
    public var allowedFailures = 3
    /// Bytes per second the scheduler assumes for moving data between workers, until it
    /// learns better (``learnsBandwidth``); also where each worker's own estimate starts.
    public var bandwidth: Int64 = 100_000_000
    /// Whether workers measure their transfers of more than 1 MB and report the bandwidth they
    /// saw in heartbeats, from which the scheduler learns its figure, as dask does. Off, the
    /// configured figure stays.
    public var learnsBandwidth = true
    /// The size assumed for a result whose size is not known yet.
    public var defaultDataSize: Int64 = 1024
    /// The duration assumed for a task of a group none of which has finished yet.
    public var unknownTaskDuration: Nanoseconds = 500_000_000
    /// Tasks a worker takes per thread before root-ish tasks are queued; `.infinity` disables
    /// queuing. Must be positive.
    public var workerSaturation = 1.1
    /// How often dask's Active Memory Manager runs its ReduceReplicas policy (dropping
    /// replicas nothing needs); `nil` turns it off.
    public var memoryManagerInterval: Nanoseconds? = 2_000_000_000
    /// How often work stealing balances the cluster, for policies that steal.
    public var stealInterval: Nanoseconds = 1_000_000_000
    /// Submissions further apart than this get a new priority generation.
    public var fifoTimeout: Nanoseconds = 100_000_000
    /// How the tasks of one graph update are ordered among themselves, after user priority
    /// and generation.
    public var staticOrder = StaticOrder.submission
    /// Root-ish detection: at most this many dependency groups…
    public var rootishTaskGroup = 5
    /// …with fewer than this many tasks in total.
    public var rootishTaskGroupDependencies = 5
    /// A deliberately planted bug (the bug zoo); `nil` for the correct scheduler.
    @_spi(PlantedBugs) public var plantedBug: PlantedBug?

    public init() {}
}

/// The last part of a task's priority: which of one submission's tasks runs first.
public enum StaticOrder: String, Sendable, Hashable, CaseIterable {
    /// The order the client submitted them in.
    case submission
    /// dask's `dask.order` of the submitted graph (``DaskOrder``), as dask's scheduler
    /// orders every graph it is given.
    case dask
}
