import Cluster
import Foundation
import Futures
import Scheduling
import Testing
import ThreadExecutor

let second: Nanoseconds = 1_000_000_000
let millisecond: Nanoseconds = 1_000_000

struct Boom: Error, Equatable {
    var code = 0
}

/// A thread-backed cluster where a modelled second takes 10 ms, and a client on it.
func cluster(
    _ workers: [WorkerSetup] = [WorkerSetup(name: "a"), WorkerSetup(name: "b")],
    faults: [Fault] = [], seed: UInt64 = 1, policy: String = "locality",
    configure: (inout ThreadConfiguration) -> Void = { _ in }
) -> (ThreadCluster, Client) {
    var configuration = ThreadConfiguration(
        seed: seed, policy: policy, timeScale: 0.01, checksInvariants: true)
    configure(&configuration)
    let cluster = ThreadCluster(configuration: configuration, workers: workers, faults: faults)
    return (cluster, Client(cluster))
}

/// Options for a task that takes `duration` of modelled time.
func taking(
    _ duration: Nanoseconds, retries: Int = 0, key: String? = nil, workers: [String] = [],
    resources: [String: Double] = [:]
) -> TaskOptions {
    TaskOptions(
        key: key, retries: retries, resources: resources, workers: workers,
        model: WorkModel(duration: .fixed(duration)))
}

/// Waits (polling) until `condition` holds; records a failure if `seconds` pass first.
func eventually(
    within seconds: Double = 30, sourceLocation: SourceLocation = #_sourceLocation,
    _ condition: () -> Bool
) {
    let deadline = ContinuousClock.now + .seconds(seconds)
    while !condition() {
        guard ContinuousClock.now < deadline else {
            Issue.record(
                "the condition did not hold within \(seconds) s", sourceLocation: sourceLocation)
            return
        }
        usleep(200)
    }
}

extension ThreadCluster {
    /// Shuts down, and records a failure if the cluster did not go quiet within a minute or
    /// broke an invariant.
    func finish(sourceLocation: SourceLocation = #_sourceLocation) {
        let quiet = shutdown(timeout: .seconds(60))
        #expect(quiet, "the cluster never went quiet", sourceLocation: sourceLocation)
        #expect(failure == nil, "\(failure!)", sourceLocation: sourceLocation)
    }

    /// Start times of executions of `key`, in order (read after shutdown).
    func starts(of key: String) -> [Nanoseconds] {
        guard let task = taskKeys.id(of: key) else { return [] }
        return traceRecords.filter { $0.kind == .executionStarted && $0.task == task.index }.map(
            \.time)
    }
}
