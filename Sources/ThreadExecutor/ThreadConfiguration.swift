import Cluster
import Scheduling

/// Everything a thread-backed cluster needs besides its workers and faults: the settings any
/// backend takes (``ClusterSettings``, readable and writable here by their own names), and
/// what only real threads have.
///
/// Times are in the scenario's nanoseconds; the cluster multiplies each by ``timeScale``
/// before it sleeps, and divides wall-clock times by it before it records them, so a trace
/// of a scaled run reads in the same units as its simulation. A real run is not reproducible
/// from its seed (threads interleave as they will), only its draws are.
@dynamicMemberLookup
public struct ThreadConfiguration: Sendable {
    /// What describes the cluster whichever backend runs it.
    public var cluster: ClusterSettings
    /// Wall-clock time per unit of modelled time: 0.01 runs a 10 s scenario in about 0.1 s.
    public var timeScale: Double
    /// Whether a task's modelled result size becomes a real byte buffer, copied on transfer:
    /// `timeScale` of its size (all of it from a scale of 1 up), so that copying it keeps in
    /// step with the scaled clock.
    public var materializesOutputs: Bool
    /// Keep the trace. An executor that wants only its futures' results can do without it:
    /// a real run's trace is for reports, and its hash differs from run to run anyway. Without
    /// it, ``ThreadCluster/traceRecords`` is empty and a failure names no recent records.
    public var keepsTrace: Bool

    public init(
        seed: UInt64 = 1, policy: String = "locality",
        scheduler: SchedulerConfiguration = SchedulerConfiguration(),
        network: NetworkModel = NetworkModel(latency: 0, bandwidth: 1 << 40),
        clientLatency: Nanoseconds = 0, workerLatency: Nanoseconds = 0,
        deathDetectionDelay: Nanoseconds = 0, timeScale: Double = 1,
        materializesOutputs: Bool = false, checksInvariants: Bool = false, keepsTrace: Bool = true
    ) {
        precondition(timeScale > 0, "the time scale must be positive")
        cluster = ClusterSettings(
            seed: seed, policy: policy, scheduler: scheduler, network: network,
            clientLatency: clientLatency, workerLatency: workerLatency,
            deathDetectionDelay: deathDetectionDelay, checksInvariants: checksInvariants)
        self.timeScale = timeScale
        self.materializesOutputs = materializesOutputs
        self.keepsTrace = keepsTrace
    }

    public subscript<Value>(dynamicMember path: WritableKeyPath<ClusterSettings, Value>) -> Value {
        get { cluster[keyPath: path] }
        set { cluster[keyPath: path] = newValue }
    }

    /// The wall-clock nanoseconds a modelled time takes. At the scale of 1 a time is taken as
    /// it is: exactly, and with no trip through floating point for every message and timer.
    func scaled(_ time: Nanoseconds) -> Int64 {
        timeScale == 1 ? time : Int64(saturating: (Double(time) * timeScale).rounded())
    }

    /// The modelled time a span of wall-clock nanoseconds stands for.
    func modelled(_ wall: Int64) -> Nanoseconds {
        timeScale == 1 ? wall : Nanoseconds(saturating: (Double(wall) / timeScale).rounded())
    }
}
