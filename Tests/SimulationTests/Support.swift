import Cluster
import Futures
import Scheduling
import Simulation

let second: Nanoseconds = 1_000_000_000
let millisecond: Nanoseconds = 1_000_000

struct Boom: Error, Equatable {
    var code = 0
}

/// A simulated cluster with no latency or overhead unless told, and a client on it.
func cluster(
    _ workers: [WorkerSetup] = [WorkerSetup(name: "a"), WorkerSetup(name: "b")],
    faults: [Fault] = [], seed: UInt64 = 1, policy: String = "locality",
    configure: (inout SimulationConfiguration) -> Void = { _ in }
) -> (SimulatedCluster, Client) {
    var configuration = SimulationConfiguration(seed: seed, policy: policy)
    configure(&configuration)
    let simulation = SimulatedCluster(
        configuration: configuration, workers: workers, faults: faults)
    return (simulation, Client(simulation))
}

/// Options for a task that takes `duration` of virtual time.
func taking(
    _ duration: Nanoseconds, retries: Int = 0, key: String? = nil, workers: [String] = [],
    resources: [String: Double] = [:]
) -> TaskOptions {
    TaskOptions(
        key: key, retries: retries, resources: resources, workers: workers,
        model: WorkModel(duration: .fixed(duration)))
}

extension SimulatedCluster {
    /// Start times of executions of `key`, in order.
    func starts(of key: String) -> [Nanoseconds] {
        guard let task = taskKeys.id(of: key) else { return [] }
        return trace.records.filter { $0.kind == .executionStarted && $0.task == task.index }.map(
            \.time)
    }

    /// End times of successful executions of `key`.
    func ends(of key: String) -> [Nanoseconds] {
        guard let task = taskKeys.id(of: key) else { return [] }
        return trace.records.filter {
            $0.kind == .executionEnded && $0.task == task.index && $0.from == 1
        }.map(\.time)
    }

    func notes() -> [Note] {
        trace.records.filter { $0.kind == .note }.map { Note.allCases[Int($0.from)] }
    }
}
