import Cluster
import Scheduling
import Yams

/// The state of reading one file.
struct Reading {
    let reader: NodeReader
    var tasks: [ScenarioTask] = []
    /// Where each task was declared, for later checks; looked up only.
    var taskNodes: [String: (node: Node, path: String)] = [:]
    /// Keys of scattered data; looked up only.
    var scatteredKeys: Set<String> = []
    /// Where each scattered key's scatter actions place it (all alike); looked up only.
    var scatterTargets: [String: [String]] = [:]
    var families: [String: [String]] = [:]
    /// Every worker the run may have (the cluster's and those faults add), for expectations
    /// that name one.
    var workerNames: [String] = []

    let knownPolicies: [String]

    init(reader: NodeReader, knownPolicies: [String]) {
        self.reader = reader
        self.knownPolicies = knownPolicies
    }

    mutating func scenario(_ node: Node, file: String) throws(ScenarioError) -> Scenario {
        let top = try reader.fields(node, at: "", table: ScenarioFormat.scenario)
        let defaultName =
            file.split(separator: "/").last.map {
                String(
                    $0.hasSuffix(".yaml")
                        ? $0.dropLast(5) : $0.hasSuffix(".yml") ? $0.dropLast(4) : $0)
            } ?? file
        var scenario = Scenario(
            name: try top.optional("name", reader.string) ?? defaultName,
            description: try top.optional("description", reader.string) ?? "",
            file: file,
            seed: UInt64(
                try top.optional("seed") { node, path throws(ScenarioError) in
                    try reader.int(node, at: path, minimum: 0)
                } ?? 1),
            workers: [], network: NetworkModel(), clientLatency: 0, workerLatency: 0, overhead: 0,
            detectionDelay: 0, policy: "locality", scheduler: SchedulerConfiguration(), tasks: [],
            families: [:], actions: [], faults: [], expectations: [])

        scenario.cpu = try top.optional("cpu", reader.bool) ?? false
        scenario.workers = try workers(top.required("cluster"), at: "cluster")
        if let network = top["network"] { try readNetwork(network, into: &scenario) }
        if let scheduler = top["scheduler"] { try readScheduler(scheduler, into: &scenario) }
        if let list = top["tasks"] {
            for (index, item) in try reader.list(list, at: "tasks").enumerated() {
                try task(item, at: "tasks[\(index)]")
            }
        }
        if let list = top["generate"] {
            for (index, item) in try reader.list(list, at: "generate").enumerated() {
                try generate(item, at: "generate[\(index)]")
            }
        }
        if tasks.isEmpty {
            throw reader.error(node, "the scenario has no tasks (give tasks: or generate:)", at: "")
        }
        try scatteredData(top["client"])
        try checkGraph()
        scenario.families = families
        scenario.faults = try faults(
            top["faults"], workers: scenario.workers, times: &scenario.faultTimes)
        var workerNames = scenario.workers.map(\.name)
        for case .add(let spec, _) in scenario.faults { workerNames.append(spec.name) }
        scenario.actions = try actions(top["client"], workers: workerNames)
        self.workerNames = workerNames
        scenario.tasks = tasks
        try checkResources(scenario)
        scenario.expectations = try expectations(top["expect"], scenarioActions: scenario.actions)
        return scenario
    }
}
