import Cluster
import Scheduling

extension Scenario {
    /// A scenario built in Swift instead of read from a file.
    ///
    /// It is checked by the very rules a file is: the scenario is written as a scenario file
    /// and read back, so dependencies must name tasks, the graph must have no cycle, faults
    /// must name workers, resources must fit some worker, and so on. A problem throws the
    /// loader's error, located in that written file (`ScenarioWriter.yaml` shows it) and
    /// naming the path of the offending value, like `tasks[2].deps`.
    ///
    /// - Parameters:
    ///   - actions: the client timeline; by default every task is submitted at time 0.
    ///   - policies: the policy names `policy` may be (the shipped ones unless a program adds
    ///     its own).
    public init(
        name: String, description: String = "", seed: UInt64 = 1, workers: [WorkerSetup],
        network: NetworkModel = NetworkModel(), policy: String = "locality",
        scheduler: SchedulerConfiguration = SchedulerConfiguration(), tasks: [ScenarioTask],
        actions: [ClientAction]? = nil, faults: [Fault] = [], expectations: [Expectation] = [],
        policies: [String] = PolicyRegistry.names
    ) throws(ScenarioError) {
        let draft = Scenario(
            name: name, description: description, file: "", seed: seed, workers: workers,
            network: network, clientLatency: 0, workerLatency: 0, overhead: 0,
            detectionDelay: 0, policy: policy, scheduler: scheduler, tasks: tasks,
            families: [:],
            actions: actions ?? [.submit(keys: tasks.filter { !$0.scattered }.map(\.key), at: 0)],
            faults: faults, expectations: expectations)
        self = try ScenarioLoader.load(
            ScenarioWriter.yaml(draft), file: "\(name) (built in Swift)", policies: policies)
    }
}
