import Cluster
import Foundation
import Futures
import Scheduling
import Simulation
import Testing
import ThreadExecutor

let second: Nanoseconds = 1_000_000_000
let millisecond: Nanoseconds = 1_000_000

struct Boom: Error, Equatable {
    var code = 0
}

/// The two ways to run a cluster: every test of this suite runs on both.
enum Backend: String, CaseIterable, CustomTestStringConvertible {
    case sim, real

    var testDescription: String { rawValue }
}

/// A cluster on one backend with no latency or overhead unless told (on real threads a
/// modelled second takes 10 ms), a client on it, and what a test asks of either.
final class Harness {
    let kind: Backend
    let backend: any ClusterBackend & TracedCluster
    let client: Client

    init(
        _ kind: Backend, workers: [WorkerSetup] = [WorkerSetup(name: "a"), WorkerSetup(name: "b")],
        faults: [Fault] = [], seed: UInt64 = 1,
        configure: (inout ClusterSettings) -> Void = { _ in }
    ) {
        self.kind = kind
        switch kind {
        case .sim:
            var configuration = SimulationConfiguration(seed: seed)
            configure(&configuration.cluster)
            backend = SimulatedCluster(
                configuration: configuration, workers: workers, faults: faults)
        case .real:
            var configuration = ThreadConfiguration(
                seed: seed, timeScale: 0.01, materializesOutputs: true, checksInvariants: true)
            configure(&configuration.cluster)
            backend = ThreadCluster(configuration: configuration, workers: workers, faults: faults)
        }
        client = Client(backend)
    }

    /// How long a test waits for a result: virtual time in a simulation (ample for any task
    /// here), real time on threads.
    var patience: Duration { kind == .sim ? .seconds(100_000) : .seconds(30) }

    var scheduler: Scheduler { backend.scheduler }

    /// Runs until nothing is left to happen (on threads: within a minute, then stops them),
    /// and records a failure if the cluster did not go quiet or broke an invariant.
    func finish(sourceLocation: SourceLocation = #_sourceLocation) {
        let quiet: Bool
        let failure: RunFailure?
        switch backend {
        case let simulation as SimulatedCluster:
            quiet = simulation.waitUntilQuiet()
            failure = simulation.failure
        case let cluster as ThreadCluster:
            quiet = cluster.shutdown(timeout: .seconds(60))
            failure = cluster.failure
        default:
            preconditionFailure("a backend this suite does not know")
        }
        #expect(quiet, "the cluster never went quiet", sourceLocation: sourceLocation)
        #expect(failure == nil, "\(failure!)", sourceLocation: sourceLocation)
    }

    /// Waits until `condition` holds: a simulation runs its events until then, threads poll.
    /// Records a failure if it never does (the run ends, or 30 s pass).
    func eventually(sourceLocation: SourceLocation = #_sourceLocation, _ condition: () -> Bool) {
        let held: Bool
        if kind == .sim {
            held = backend.waitStrategy.makeSignal().wait(until: nil, for: condition)
        } else {
            let deadline = ContinuousClock.now + .seconds(30)
            while !condition() && ContinuousClock.now < deadline { usleep(200) }
            held = condition()
        }
        #expect(held, "the condition never held", sourceLocation: sourceLocation)
    }

    /// Start times of executions of `key`, in order (on threads, read after ``finish()``).
    func starts(of key: String) -> [Nanoseconds] {
        guard let task = backend.taskKeys.id(of: key) else { return [] }
        return backend.traceRecords.filter {
            $0.kind == .executionStarted && $0.task == task.index
        }.map(\.time)
    }

    /// Whether the key's task is forgotten (on threads, read after ``finish()``).
    func isForgotten(_ key: String) -> Bool {
        backend.taskKeys.id(of: key).map { scheduler.state(of: $0) == .forgotten } ?? false
    }
}

/// Options for a task that takes `duration` of modelled time.
func taking(
    _ duration: Nanoseconds, retries: Int = 0, key: String? = nil, workers: [String] = [],
    allowOthers: Bool = false, resources: [String: Double] = [:]
) -> TaskOptions {
    var options = TaskOptions(
        key: key, retries: retries, resources: resources, workers: workers,
        model: WorkModel(duration: .fixed(duration)))
    options.allowOtherWorkers = allowOthers
    return options
}
