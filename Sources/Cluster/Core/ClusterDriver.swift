import Scheduling

/// What a backend supplies to a ``ClusterCore``: a clock, a way to hand an event back later,
/// a way to run a task body and copy data, and a place to record.
///
/// The core is the cluster written once (how commands are carried out, who is alive, what
/// faults do); a driver is one way of running it. A simulation drives it from a queue of
/// virtual times, real mode from a control thread and pools of real threads, as swift-nio's
/// channel code runs on an `EmbeddedEventLoop` or on real threads. Every call the core makes
/// comes from the driver's control context (the one thread that hands it events), and the
/// driver calls the core only from there too, except for the methods the core says are safe
/// from any thread.
public protocol ClusterDriver: AnyObject {
    /// The model time of the event the core is handling.
    var now: Nanoseconds { get }

    /// Whether anything besides the event the core is handling is still to happen: an event
    /// scheduled, an execution or a copy under way.
    var hasOtherWork: Bool { get }

    /// Hands `event` to ``ClusterCore/handle(_:)`` when model time reaches `time` (at once if
    /// it has passed). Events due at one time are handed over in the order they were
    /// scheduled, unless the driver perturbs that order on purpose. An event that does not
    /// `keepBusy` does not keep the cluster from going quiet: a timer that would find nothing
    /// to do.
    func schedule(_ event: consuming ClusterEvent, at time: Nanoseconds, keepsBusy: Bool)

    /// Runs an execution: its body (unless a failure is injected) and its modelled time; then
    /// hands back ``ClusterEvent/executionEnded(_:outcome:)``.
    func run(_ execution: Execution)

    /// An execution seceded: its worker gets a thread in its place (the seceded one leaves
    /// when its body is done, see ``Execution/secedes``).
    func executionSeceded(_ execution: ExecutionRef)

    /// Copies a result a transfer moves; then hands the copy to
    /// ``ClusterCore/dataArrived(_:_:)``, or back as ``ClusterEvent/dataArrived(_:_:)``.
    func copy(_ data: StoredResult, for transfer: Transfer)

    /// Whether it wants trace records: one that neither keeps nor hashes them spares the core
    /// making them (and reading the clock for each).
    var recordsTrace: Bool { get }

    /// Keeps a trace record.
    func record(_ record: TraceRecord)

    /// A worker process started: the driver sets up what it needs to run its executions.
    func workerStarted(_ worker: ClusterWorker)

    /// A worker process died: its executions under way may stop.
    func workerDied(_ worker: ClusterWorker)

    /// Invariants broke while handling an event.
    func fail(_ violations: [String])
}

/// How a driver's cluster departs from the plain model: what only one kind of driver can do.
public struct DriverModel: Sendable {
    /// The scheduler's modelled time per event, during which later messages queue and the
    /// commands it sends wait; `nil` where its time is real and nothing is added.
    public var schedulerOverhead: Nanoseconds?
    /// Whether each message's latency is drawn within its jitter (else it takes the middle).
    public var drawsJitter = false
    /// Whether a message must arrive strictly after the one before it on its link (needed
    /// where same-time events are put in a drawn order).
    public var spacesLinkArrivals = false
    /// The share of a result's modelled size that becomes real bytes, copied on every
    /// transfer (`nil`: none). A real run at time scale `s` makes `s` of it, so copying takes
    /// real time in step with the run's clock: 50 MB at 0.01 is 500 KB.
    public var materializedShare: Double?

    public init(
        schedulerOverhead: Nanoseconds?, drawsJitter: Bool = false,
        spacesLinkArrivals: Bool = false, materializedShare: Double? = nil
    ) {
        self.schedulerOverhead = schedulerOverhead
        self.drawsJitter = drawsJitter
        self.spacesLinkArrivals = spacesLinkArrivals
        self.materializedShare = materializedShare
    }
}
