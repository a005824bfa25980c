import Cluster
@_spi(PlantedBugs) import Scheduling
import Simulation
import Yams

/// Reads scenario files: YAML in, a checked ``Scenario`` out, or a located ``ScenarioError``.
public enum ScenarioLoader {
    /// Reads and checks the scenario in `text`; `file` names it in messages; `policies` are
    /// the policy names it may use (the shipped ones unless a program adds its own).
    public static func load(
        _ text: String, file: String, policies: [String] = PolicyRegistry.names
    ) throws(ScenarioError) -> Scenario {
        switch aliasProblem(text) {
        case .yaml(let error)?:
            throw syntaxError(error, file: file)
        case .inKey(let mark)?:
            throw ScenarioError(
                file: file, line: mark.line, column: mark.column,
                message:
                    "an alias in a mapping key: keys are plain text (aliases belong in values)",
                path: "")
        case nil:
            break
        }
        let node: Node?
        do {
            // Scalars are read as text and parsed by the reader (which knows what each key
            // expects), so Yams need not guess their types with its regular expressions.
            node = try Yams.compose(yaml: text, .basic)
        } catch let error as YamlError {
            throw syntaxError(error, file: file)
        } catch {
            throw ScenarioError(file: file, line: 0, column: 0, message: "\(error)", path: "")
        }
        guard let node else {
            throw ScenarioError(
                file: file, line: 0, column: 0, message: "the file is empty", path: "")
        }
        if let far = nodeExpandingTooFar(node) {
            throw ScenarioError(
                file: file, line: far.mark?.line ?? 0, column: far.mark?.column ?? 0,
                message:
                    "the YAML expands to more than \(largestExpansion) nodes once its aliases are spelled out (aliases nested in aliases?)",
                path: "")
        }
        var loader = Reading(reader: NodeReader(file: file), knownPolicies: policies)
        return try loader.scenario(node, file: file)
    }

    /// A YAML reader error (a character YAML does not allow) at its line and column; the
    /// reader counts its offset in characters.
    private static func readerError(
        _ problem: String, at offset: Int?, in yaml: String, file: String
    ) -> ScenarioError {
        guard let offset else {
            return ScenarioError(
                file: file, line: 0, column: 0, message: "invalid YAML: \(problem)", path: "")
        }
        let before = yaml.prefix(offset)
        let lineStart =
            before.lastIndex(of: "\n").map { before.index(after: $0) } ?? before.startIndex
        return ScenarioError(
            file: file, line: before.reduce(1) { $1 == "\n" ? $0 + 1 : $0 },
            column: before.distance(from: lineStart, to: before.endIndex) + 1,
            message: "invalid YAML: \(problem)", path: "")
    }

    private static func syntaxError(_ error: YamlError, file: String) -> ScenarioError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            ScenarioError(
                file: file, line: mark.line, column: mark.column,
                message: "invalid YAML: \(problem)",
                path: "")
        case .duplicatedKeysInMapping(let duplicates, let context):
            ScenarioError(
                file: file, line: context.mark.line, column: context.mark.column,
                message: "duplicate key '\(duplicates.joined(separator: "', '"))' in this mapping",
                path: "")
        case .reader(let problem, let offset, _, let yaml):
            readerError(problem, at: offset, in: yaml, file: file)
        default:
            ScenarioError(
                file: file, line: 0, column: 0, message: "invalid YAML: \(error)", path: "")
        }
    }
}

/// The state of reading one file.
struct Reading {
    let reader: NodeReader
    var tasks: [ScenarioTask] = []
    /// Where each task was declared, for later checks; looked up only.
    var taskNodes: [String: (node: Node, path: String)] = [:]
    /// Keys of scattered data; looked up only.
    var scatteredKeys: Set<String> = []
    var families: [String: [String]] = [:]

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
        scenario.tasks = tasks
        try checkResources(scenario)
        scenario.expectations = try expectations(top["expect"], scenarioActions: scenario.actions)
        return scenario
    }

    // MARK: Cluster

    func workerSpec(_ node: Node, at path: String, allowCount: Bool) throws(ScenarioError)
        -> [WorkerSetup]
    {
        let fields = try reader.fields(
            node, at: path, table: allowCount ? ScenarioFormat.workerFamily : ScenarioFormat.worker)
        let threads =
            try fields.optional("threads") { node, path throws(ScenarioError) in
                try reader.int(node, at: path, minimum: 1, maximum: NodeReader.mostThreads)
            } ?? 1
        let speed = try fields.optional("speed", reader.double) ?? 1
        guard speed > 0, speed.isFinite else {
            throw reader.error(
                fields["speed"], "expected a positive speed factor", at: fields.path("speed"))
        }
        let memory = try fields.optional("memory", reader.size)
        if memory == 0 {
            throw reader.error(
                fields["memory"], "expected a positive size (leave it out for no limit)",
                at: fields.path("memory"))
        }
        var thresholds = MemoryThresholds()
        for (key, threshold) in [
            ("memory_pause", \MemoryThresholds.pause), ("memory_terminate", \.terminate),
        ] where fields.has(key) {
            guard memory != nil else {
                throw reader.error(
                    fields.place(key), "\(key) needs a memory: limit", at: fields.path(key))
            }
            thresholds[keyPath: threshold] = try fields.optional(key, reader.threshold) ?? nil
        }
        let resources =
            try fields.optional("resources") { node, path throws(ScenarioError) in
                try resourceMap(node, at: path)
            } ?? [:]
        if let count = try fields.optional(
            "count",
            { node, path throws(ScenarioError) in
                try reader.int(node, at: path, minimum: 1, maximum: 100_000)
            })
        {
            if fields.has("name") {
                throw reader.error(
                    fields.place("name"), "a worker family takes prefix:, not name:", at: path)
            }
            let prefix = try fields.optional("prefix", reader.string) ?? "w"
            return (0..<count).map {
                WorkerSetup(
                    name: "\(prefix)\($0)", threads: threads, speed: speed, memory: memory,
                    memoryThresholds: thresholds, resources: resources)
            }
        }
        let name = try reader.string(try fields.required("name"), at: fields.path("name"))
        return [
            WorkerSetup(
                name: name, threads: threads, speed: speed, memory: memory,
                memoryThresholds: thresholds, resources: resources)
        ]
    }

    func workers(_ node: Node, at path: String) throws(ScenarioError) -> [WorkerSetup] {
        let cluster = try reader.fields(node, at: path, table: ScenarioFormat.cluster)
        let list = try reader.list(try cluster.required("workers"), at: "cluster.workers")
        var specs: [WorkerSetup] = []
        // Looked up only: 40,000 workers are not quadratic.
        var names = Set<String>()
        for (index, item) in list.enumerated() {
            for spec in try workerSpec(item, at: "cluster.workers[\(index)]", allowCount: true) {
                guard names.insert(spec.name).inserted else {
                    throw reader.error(
                        item, "duplicate worker name '\(spec.name)'",
                        at: "cluster.workers[\(index)]")
                }
                specs.append(spec)
            }
        }
        if specs.isEmpty {
            throw reader.error(node, "the cluster has no workers", at: "cluster.workers")
        }
        return specs
    }

    func resourceMap(_ node: Node, at path: String) throws(ScenarioError) -> [String: Double] {
        guard case .mapping(let mapping) = node else {
            throw reader.error(
                node, "expected a mapping of resource names to amounts, like {GPU: 1}", at: path)
        }
        var resources: [String: Double] = [:]
        for (key, value) in mapping {
            let name = try reader.string(key, at: path)
            let amount = try reader.double(value, at: "\(path).\(name)")
            guard amount >= 0, amount.isFinite else {
                throw reader.error(value, "expected a non-negative amount", at: "\(path).\(name)")
            }
            resources[name] = amount
        }
        return resources
    }

    func readNetwork(_ node: Node, into scenario: inout Scenario) throws(ScenarioError) {
        let fields = try reader.fields(
            node, at: "network",
            table: ScenarioFormat.network)
        if let latency = try fields.optional("latency", reader.duration) {
            scenario.network.latency = latency
        }
        if let bandwidth = try fields.optional("bandwidth", reader.bandwidth) {
            scenario.network.bandwidth = bandwidth
        }
        if let contention = try fields.optional("contention", reader.bool) {
            scenario.network.contention = contention
        }
        let client = try fields.optional("client_latency", reader.durationRange) ?? 0...0
        let worker = try fields.optional("worker_latency", reader.durationRange) ?? 0...0
        scenario.clientLatency = client.lowerBound
        scenario.clientJitter = client.upperBound - client.lowerBound
        scenario.workerLatency = worker.lowerBound
        scenario.workerJitter = worker.upperBound - worker.lowerBound
        if let node = fields["batching"] {
            let batching = try reader.fields(
                node, at: fields.path("batching"),
                table: ScenarioFormat.batching)
            for (name, path) in BatchIntervals.directions {
                if let interval = try batching.optional(name, reader.duration) {
                    scenario.batching[keyPath: path] = interval
                }
            }
        }
    }

    func readScheduler(_ node: Node, into scenario: inout Scenario) throws(ScenarioError) {
        let fields = try reader.fields(
            node, at: "scheduler",
            table: ScenarioFormat.scheduler)
        if let bug = try fields.optional("bug", reader.string) {
            guard let planted = PlantedBug(rawValue: bug) else {
                let names = PlantedBug.allCases.map(\.rawValue)
                let hint =
                    suggestion(for: bug, among: names).map { "; did you mean '\($0)'?" } ?? ""
                throw reader.error(
                    fields["bug"],
                    "unknown planted bug '\(bug)'\(hint) (known: \(names.joined(separator: ", ")))",
                    at: "scheduler.bug")
            }
            scenario.scheduler.plantedBug = planted
        }
        if let policy = try fields.optional("policy", reader.string) {
            guard knownPolicies.contains(policy) else {
                let hint =
                    suggestion(for: policy, among: knownPolicies).map {
                        "; did you mean '\($0)'?"
                    } ?? ""
                throw reader.error(
                    fields["policy"],
                    "unknown policy '\(policy)'\(hint) (known: \(knownPolicies.joined(separator: ", ")))",
                    at: "scheduler.policy")
            }
            scenario.policy = policy
        }
        if let failures = try fields.optional(
            "allowed_failures",
            { node, path throws(ScenarioError) in try reader.int(node, at: path, minimum: 0) })
        {
            scenario.scheduler.allowedFailures = failures
        }
        scenario.overhead = try fields.optional("overhead", reader.duration) ?? 0
        if let saturation = try fields.optional("worker_saturation", reader.double) {
            guard saturation > 0, saturation <= 1e6 || saturation == .infinity else {
                throw reader.error(
                    fields["worker_saturation"], "expected a positive number up to 1e6, or inf",
                    at: "scheduler.worker_saturation")
            }
            scenario.scheduler.workerSaturation = saturation
        }
        if let interval = try fields.optional("steal_interval", reader.duration) {
            guard interval > 0 else {
                throw reader.error(
                    fields["steal_interval"], "expected a positive duration",
                    at: "scheduler.steal_interval")
            }
            scenario.scheduler.stealInterval = interval
        }
        if let bandwidth = try fields.optional("bandwidth", reader.bandwidth) {
            scenario.scheduler.bandwidth = bandwidth
        }
        if let unknown = try fields.optional("unknown_task_duration", reader.duration) {
            scenario.scheduler.unknownTaskDuration = unknown
        }
        scenario.detectionDelay = try fields.optional("detection_delay", reader.duration) ?? 0
    }

    // MARK: Tasks

    /// Reads one task entry in a single pass over its fields (large files have many).
    mutating func task(_ node: Node, at path: String) throws(ScenarioError) {
        let fields = try reader.fields(node, at: path, table: ScenarioFormat.task)
        var template = ScenarioTask(key: "")
        var count: Int?
        for (key, _, value) in fields.entries {
            let at = "\(path).\(key)"
            switch key {
            case "key": template.key = try reader.string(value, at: at)
            case "count":
                count = try reader.int(value, at: at, minimum: 1, maximum: NodeReader.largestFamily)
            case "deps": template.dependencies = try reader.strings(value, at: at)
            case "duration": template.duration = try durationModel(value, at: at)
            case "output": template.outputSize = try reader.size(value, at: at)
            case "priority": template.priority = try reader.int(value, at: at)
            case "retries":
                template.retries = try reader.int(value, at: at, minimum: 0, maximum: 1_000_000)
            case "resources": template.resources = try resourceMap(value, at: at)
            case "workers": template.workers = try reader.strings(value, at: at)
            case "cpu": template.cpu = try reader.bool(value, at: at)
            default: template.allowOtherWorkers = try reader.bool(value, at: at)
            }
        }
        guard !template.key.isEmpty else { throw reader.error(node, "missing key 'key'", at: path) }
        if let count {
            var keys: [String] = []
            keys.reserveCapacity(count)
            for index in 0..<count {
                var member = template
                member.key = "\(template.key)-\(index)"
                try add(member, node: node, at: path)
                keys.append(member.key)
            }
            try addFamily(template.key, keys, node: node, at: path)
        } else {
            try add(template, node: node, at: path)
        }
    }

    mutating func add(_ task: ScenarioTask, node: Node, at path: String) throws(ScenarioError) {
        if taskNodes[task.key] != nil || families[task.key] != nil {
            throw reader.error(node, "duplicate task key '\(task.key)'", at: path)
        }
        taskNodes[task.key] = (node, path)
        tasks.append(task)
    }

    mutating func addFamily(_ name: String, _ keys: [String], node: Node, at path: String)
        throws(ScenarioError)
    {
        if taskNodes[name] != nil || families[name] != nil {
            throw reader.error(node, "duplicate task key '\(name)'", at: path)
        }
        families[name] = keys
    }

    func durationModel(_ node: Node, at path: String) throws(ScenarioError) -> DurationModel {
        if case .scalar = node { return .fixed(try reader.duration(node, at: path)) }
        let fields = try reader.fields(node, at: path, table: ScenarioFormat.distribution)
        guard fields.entries.count == 1, let (kind, _, value) = fields.entries.first else {
            throw reader.error(
                node, "expected one distribution: fixed, uniform, normal, lognormal or exponential",
                at: path)
        }
        let at = fields.path(kind)
        switch kind {
        case "fixed":
            return .fixed(try reader.duration(value, at: at))
        case "exponential":
            return .exponential(mean: try reader.duration(value, at: at))
        case "uniform":
            let bounds = try reader.list(value, at: at)
            guard bounds.count == 2 else {
                throw reader.error(value, "expected [low, high]", at: at)
            }
            let low = try reader.duration(bounds[0], at: "\(at)[0]")
            let high = try reader.duration(bounds[1], at: "\(at)[1]")
            guard low <= high else { throw reader.error(value, "expected low ≤ high", at: at) }
            return .uniform(low, high)
        case "normal":
            let parameters = try reader.fields(value, at: at, table: ScenarioFormat.normal)
            return .normal(
                mean: try reader.duration(try parameters.required("mean"), at: "\(at).mean"),
                deviation: try reader.duration(try parameters.required("sd"), at: "\(at).sd"))
        default:
            let parameters = try reader.fields(value, at: at, table: ScenarioFormat.lognormal)
            let sigma = try reader.double(try parameters.required("sigma"), at: "\(at).sigma")
            guard sigma >= 0 else {
                throw reader.error(parameters["sigma"], "expected sigma ≥ 0", at: "\(at).sigma")
            }
            return .lognormal(
                mu: try reader.double(try parameters.required("mu"), at: "\(at).mu"), sigma: sigma)
        }
    }

    // MARK: Checks

    /// Dependencies resolve (a family name means all of it) and form no cycle.
    mutating func checkGraph() throws(ScenarioError) {
        for index in tasks.indices {
            var resolved: [String] = []
            // Looked up only: a wide fan-in is not quadratic.
            var seen = Set<String>()
            for dependency in tasks[index].dependencies {
                guard
                    let keys = families[dependency]
                        ?? (taskNodes[dependency] != nil ? [dependency] : nil)
                else {
                    let (node, path) = taskNodes[tasks[index].key]!
                    let known = Array(taskNodes.keys) + Array(families.keys)
                    let hint =
                        suggestion(for: dependency, among: known.sorted()).map {
                            "; did you mean '\($0)'?"
                        } ?? ""
                    throw reader.error(
                        node,
                        "dependency '\(dependency)' of '\(tasks[index].key)' is not a task\(hint)",
                        at: "\(path).deps")
                }
                for key in keys where seen.insert(key).inserted { resolved.append(key) }
            }
            if seen.contains(tasks[index].key) {
                let (node, path) = taskNodes[tasks[index].key]!
                throw reader.error(
                    node, "task '\(tasks[index].key)' depends on itself", at: "\(path).deps")
            }
            tasks[index].dependencies = resolved
        }
        try checkAcyclic()
        try checkOutputTotal()
    }

    /// The outputs of all tasks (scattered data included) add up to what 64 bits hold, so no
    /// sum the machines keep of them (a worker's memory, bytes to fetch, bytes held) can pass
    /// it.
    private func checkOutputTotal() throws(ScenarioError) {
        var total: Int64 = 0
        for task in tasks {
            let (sum, overflow) = total.addingReportingOverflow(task.outputSize)
            guard !overflow else {
                let (node, path) = taskNodes[task.key]!
                throw reader.error(
                    node,
                    "the outputs of the tasks up to '\(task.key)' add up past \(Int64.max) bytes",
                    at: "\(path).output")
            }
            total = sum
        }
    }

    private func checkAcyclic() throws(ScenarioError) {
        var position: [String: Int] = [:]
        for (index, task) in tasks.enumerated() { position[task.key] = index }
        // 0 unvisited, 1 on the current path, 2 done.
        var mark = [UInt8](repeating: 0, count: tasks.count)
        for start in tasks.indices where mark[start] == 0 {
            var stack: [(Int, Int)] = [(start, 0)]
            mark[start] = 1
            while let (index, next) = stack.last {
                let dependencies = tasks[index].dependencies
                if next == dependencies.count {
                    mark[index] = 2
                    stack.removeLast()
                    continue
                }
                stack[stack.count - 1].1 += 1
                let child = position[dependencies[next]]!
                if mark[child] == 1 {
                    let cycle =
                        stack.map { tasks[$0.0].key }.drop { $0 != tasks[child].key } + [
                            tasks[child].key
                        ]
                    let (node, path) = taskNodes[tasks[child].key]!
                    throw reader.error(
                        node, "dependency cycle: \(cycle.joined(separator: " → "))", at: path)
                }
                if mark[child] == 0 {
                    mark[child] = 1
                    stack.append((child, 0))
                }
            }
        }
    }

    /// Every task's resources fit some worker that is or will be in the cluster.
    func checkResources(_ scenario: Scenario) throws(ScenarioError) {
        var everyWorker = scenario.workers
        for case .add(let spec, _) in scenario.faults { everyWorker.append(spec) }
        for task in tasks where !task.resources.isEmpty {
            let fits = everyWorker.contains { worker in
                task.resources.allSatisfy { worker.resources[$0.key, default: 0] >= $0.value }
            }
            if !fits {
                let (node, path) = taskNodes[task.key]!
                let wanted = task.resources.keys.sorted().map { "\($0): \(task.resources[$0]!)" }
                    .joined(separator: ", ")
                throw reader.error(
                    node, "no worker ever supplies the resources {\(wanted)} of '\(task.key)'",
                    at: "\(path).resources")
            }
        }
    }

    func requireKeys(_ names: [String], node: Node?, at path: String) throws(ScenarioError)
        -> [String]
    {
        var keys: [String] = []
        for name in names {
            if let family = families[name] {
                keys += family
            } else if taskNodes[name] != nil {
                keys.append(name)
            } else {
                let known = (Array(taskNodes.keys) + Array(families.keys)).sorted()
                let hint =
                    suggestion(for: name, among: known).map { "; did you mean '\($0)'?" } ?? ""
                throw reader.error(node, "'\(name)' is not a task\(hint)", at: path)
            }
        }
        return keys
    }
}

extension Reading {
    // MARK: Client, faults, expectations

    /// The data `scatter` actions place, as tasks that are never submitted, so that tasks can
    /// name them as dependencies (the actions themselves are read with the others).
    mutating func scatteredData(_ node: Node?) throws(ScenarioError) {
        guard let node else { return }
        for (index, item) in try reader.list(node, at: "client").enumerated() {
            let path = "client[\(index)]"
            let fields = try reader.fields(item, at: path, table: ScenarioFormat.clientAction)
            guard let value = fields["scatter"] else { continue }
            let size = try fields.optional("size", reader.size) ?? 8
            for name in try reader.strings(value, at: fields.path("scatter")) {
                var data = ScenarioTask(key: name, outputSize: size)
                data.scattered = true
                try add(data, node: item, at: path)
                scatteredKeys.insert(name)
            }
        }
    }

    /// The client timeline; `workers` are the names a scatter may place data on.
    mutating func actions(_ node: Node?, workers: [String]) throws(ScenarioError)
        -> [ClientAction]
    {
        let submittable = tasks.filter { !$0.scattered }.map(\.key)
        guard let node else { return [.submit(keys: submittable, at: 0)] }
        var actions: [ClientAction] = []
        for (index, item) in try reader.list(node, at: "client").enumerated() {
            let path = "client[\(index)]"
            let fields = try reader.fields(item, at: path, table: ScenarioFormat.clientAction)
            let at = try fields.optional("at", reader.duration) ?? 0
            let verbs = ScenarioFormat.clientVerbs.filter(fields.has)
            guard verbs.count == 1, let verb = verbs.first else {
                throw reader.error(
                    item,
                    "expected exactly one of \(ScenarioFormat.clientVerbs.joined(separator: ", "))",
                    at: path)
            }
            let value = fields[verb]!
            let names = try reader.strings(value, at: fields.path(verb))
            let keys =
                names == ["all"] && taskNodes["all"] == nil
                ? submittable : try requireKeys(names, node: value, at: fields.path(verb))
            for (option, owner) in [
                ("force", "cancel"), ("timeout", "wait or gather"), ("return_when", "wait"),
                ("name", "wait or gather"), ("size", "scatter"), ("workers", "scatter"),
            ]
            where fields.has(option) && !owner.contains(verb) {
                throw reader.error(fields.place(option), "\(option): goes with \(owner):", at: path)
            }
            switch verb {
            case "submit":
                if let data = keys.first(where: scatteredKeys.contains) {
                    throw reader.error(
                        value, "'\(data)' is scattered data, not a task to submit",
                        at: fields.path(verb))
                }
                actions.append(.submit(keys: keys, at: at))
            case "scatter":
                let targets = try fields.optional("workers", reader.strings) ?? []
                for (position, name) in targets.enumerated() where !workers.contains(name) {
                    let hint =
                        suggestion(for: name, among: workers).map { "; did you mean '\($0)'?" }
                        ?? ""
                    throw reader.error(
                        fields["workers"], "no worker is named '\(name)'\(hint)",
                        at: "\(fields.path("workers"))[\(position)]")
                }
                let placed = Set(keys)
                for index in tasks.indices where placed.contains(tasks[index].key) {
                    tasks[index].workers = targets
                }
                actions.append(.scatter(keys: keys, at: at))
            case "cancel":
                actions.append(
                    .cancel(
                        keys: keys, force: try fields.optional("force", reader.bool) ?? false,
                        at: at))
            case "release": actions.append(.release(keys: keys, at: at))
            default:
                var all = true
                if let returnWhen = try fields.optional("return_when", reader.string) {
                    guard ["all_completed", "first_completed"].contains(returnWhen) else {
                        throw reader.error(
                            fields["return_when"], "expected all_completed or first_completed",
                            at: fields.path("return_when"))
                    }
                    all = returnWhen == "all_completed"
                }
                actions.append(
                    .wait(
                        keys: keys, all: all,
                        timeout: try fields.optional("timeout", reader.duration),
                        name: try fields.optional("name", reader.string) ?? "\(verb)-\(index)",
                        at: at))
            }
        }
        return actions
    }

    func faults(
        _ node: Node?, workers: [WorkerSetup], times ranges: inout [Int: ClosedRange<Nanoseconds>]
    )
        throws(ScenarioError) -> [Fault]
    {
        guard let node else { return [] }
        var names = Set(workers.map(\.name))
        var faults: [Fault] = []
        for (index, item) in try reader.list(node, at: "faults").enumerated() {
            let path = "faults[\(index)]"
            let fields = try reader.fields(item, at: path, table: ScenarioFormat.fault)
            let range = try fields.optional("at", reader.durationRange) ?? 0...0
            let at = range.lowerBound
            if range.count > 1 { ranges[faults.count] = range }
            func worker(_ key: String) throws(ScenarioError) -> String {
                let name = try reader.string(try fields.required(key), at: fields.path(key))
                guard names.contains(name) else {
                    let hint =
                        suggestion(for: name, among: names.sorted()).map {
                            "; did you mean '\($0)'?"
                        } ?? ""
                    throw reader.error(
                        fields[key], "no worker is named '\(name)'\(hint)", at: fields.path(key))
                }
                return name
            }
            func window() throws(ScenarioError) -> Nanoseconds {
                try reader.duration(try fields.required("for"), at: fields.path("for"))
            }
            func endpoints(_ key: String) throws(ScenarioError) -> (Endpoint, Endpoint) {
                let list = try reader.list(try fields.required(key), at: fields.path(key))
                guard list.count == 2 else {
                    throw reader.error(
                        fields[key], "expected two endpoints, like [a, scheduler]",
                        at: fields.path(key))
                }
                var pair: [Endpoint] = []
                for (position, item) in list.enumerated() {
                    let name = try reader.string(item, at: "\(fields.path(key))[\(position)]")
                    switch name {
                    case "client": pair.append(.client)
                    case "scheduler": pair.append(.scheduler)
                    case _ where names.contains(name): pair.append(.worker(name))
                    default:
                        throw reader.error(
                            item, "'\(name)' is not client, scheduler or a worker",
                            at: "\(fields.path(key))[\(position)]")
                    }
                }
                return (pair[0], pair[1])
            }
            if let hold = fields["hold"] {
                faults.append(.hold(try holdRule(hold, fields: fields, at: at, names: names)))
            } else if fields.has("kill") {
                faults.append(.kill(worker: try worker("kill"), at: at))
            } else if let add = fields["add"] {
                let specs = try workerSpec(add, at: fields.path("add"), allowCount: false)
                names.insert(specs[0].name)
                faults.append(.add(specs[0], at: at))
            } else if fields.has("slow") {
                let factor = try reader.double(
                    try fields.required("factor"), at: fields.path("factor"))
                guard factor > 0, factor.isFinite else {
                    throw reader.error(
                        fields["factor"], "expected a positive factor", at: fields.path("factor"))
                }
                faults.append(
                    .slow(
                        worker: try worker("slow"), factor: factor, from: at,
                        until: at.saturatingAdd(try window())))
            } else if let fail = fields["fail"] {
                let key = try requireKeys(
                    [try reader.string(fail, at: fields.path("fail"))], node: fail,
                    at: fields.path("fail"))
                let attempts: FailedAttempts =
                    try fields.optional("attempts") { node, path throws(ScenarioError) in
                        if case .sequence = node {
                            return .listed(
                                try reader.list(node, at: path).enumerated().map {
                                    position, item throws(ScenarioError) in
                                    try reader.int(item, at: "\(path)[\(position)]", minimum: 1)
                                })
                        }
                        return .first(try reader.int(node, at: path, minimum: 1))
                    } ?? [1]
                let error = try fields.optional("error", reader.string) ?? "InjectedError"
                for member in key {
                    faults.append(.failTask(key: member, attempts: attempts, error: error))
                }
            } else if let probability = fields["fail_probability"] {
                let p = try reader.double(probability, at: fields.path("fail_probability"))
                guard (0...1).contains(p) else {
                    throw reader.error(
                        probability, "expected a probability between 0 and 1",
                        at: fields.path("fail_probability"))
                }
                faults.append(
                    .failRandomly(
                        probability: p,
                        error: try fields.optional("error", reader.string) ?? "InjectedError"))
            } else if fields.has("partition") {
                let (a, b) = try endpoints("partition")
                faults.append(.partition(a, b, from: at, until: at.saturatingAdd(try window())))
            } else if fields.has("delay") {
                let (a, b) = try endpoints("delay")
                let by = try reader.duration(try fields.required("by"), at: fields.path("by"))
                faults.append(
                    .delayLink(a, b, by: by, from: at, until: at.saturatingAdd(try window())))
            } else {
                throw reader.error(
                    item,
                    "expected one of \(ScenarioFormat.faultKinds.joined(separator: ", "))",
                    at: path)
            }
        }
        return faults
    }

    /// `{hold: {message, from, to, key}, by, all}`: delays matching messages.
    func holdRule(_ node: Node, fields: Fields, at: Nanoseconds, names: Set<String>)
        throws(ScenarioError) -> Hold
    {
        let path = fields.path("hold")
        let match = try reader.fields(node, at: path, table: ScenarioFormat.hold)
        let wire = try reader.string(try match.required("message"), at: "\(path).message")
        let kinds = ScenarioFormat.holdableMessages
        guard let kind = kinds.first(where: { $0.wireName == wire }) else {
            let hint =
                suggestion(for: wire, among: kinds.map(\.wireName)).map {
                    "; did you mean '\($0)'?"
                } ?? ""
            throw reader.error(
                match["message"],
                "unknown message '\(wire)'\(hint) (known: \(kinds.map(\.wireName).joined(separator: ", ")))",
                at: "\(path).message")
        }
        func endpoint(_ key: String) throws(ScenarioError) -> Endpoint? {
            guard let value = match[key] else { return nil }
            let name = try reader.string(value, at: "\(path).\(key)")
            switch name {
            case "client": return .client
            case "scheduler": return .scheduler
            case _ where names.contains(name): return .worker(name)
            default:
                throw reader.error(
                    value, "'\(name)' is not client, scheduler or a worker", at: "\(path).\(key)")
            }
        }
        var key: String?
        if let value = match["key"] {
            let name = try reader.string(value, at: "\(path).key")
            key = try requireKeys([name], node: value, at: "\(path).key").count == 1 ? name : nil
            if key == nil {
                throw reader.error(value, "expected one task, not a family", at: "\(path).key")
            }
        }
        return Hold(
            message: kind, from: try endpoint("from"), to: try endpoint("to"), key: key,
            by: try reader.duration(try fields.required("by"), at: fields.path("by")), after: at,
            all: try fields.optional("all", reader.bool) ?? false)
    }

    func expectations(_ node: Node?, scenarioActions: [ClientAction]) throws(ScenarioError)
        -> [Expectation]
    {
        guard let node else { return [] }
        let waits: [String] = scenarioActions.compactMap {
            if case .wait(_, _, _, let name, _) = $0 { return name }
            return nil
        }
        var result: [Expectation] = []
        for (index, item) in try reader.list(node, at: "expect").enumerated() {
            let path = "expect[\(index)]"
            let fields = try reader.fields(item, at: path, table: ScenarioFormat.expectation)
            guard let inner = fields["sometimes"] else {
                result.append(try expectation(item, at: path, waits: waits))
                continue
            }
            guard fields.entries.count == 1 else {
                throw reader.error(
                    item,
                    "sometimes: takes one expectation of its own, like {sometimes: {steals: {at_least: 1}}}",
                    at: path)
            }
            result.append(
                try expectation(inner, at: fields.path("sometimes"), waits: waits, sometimes: true))
        }
        return result
    }

    /// Reads one expectation.
    func expectation(_ item: Node, at path: String, waits: [String], sometimes: Bool = false)
        throws(ScenarioError) -> Expectation
    {
        let fields = try reader.fields(item, at: path, table: ScenarioFormat.plainExpectation)
        let line = item.mark?.line ?? 0
        let check: Expectation.Check
        if let future = fields["future"] {
            let name = try reader.string(future, at: fields.path("future"))
            let keys = try requireKeys([name], node: future, at: fields.path("future"))
            let status = try reader.string(
                try fields.required("status"), at: fields.path("status"))
            let statuses = ScenarioFormat.futureStatuses
            guard statuses.contains(status) else {
                throw reader.error(
                    fields["status"], "expected a status: \(statuses.joined(separator: ", "))",
                    at: fields.path("status"))
            }
            check = .status(keys: keys, name: name, status: status)
        } else if let makespan = fields["makespan"] {
            let bounds = try reader.fields(
                makespan, at: fields.path("makespan"), table: ScenarioFormat.makespan)
            let below = try bounds.optional("below", reader.duration)
            let above = try bounds.optional("above", reader.duration)
            let realSlack = try bounds.optional("real_slack", reader.duration)
            guard below != nil || above != nil else {
                throw reader.error(
                    makespan, "expected below: and/or above:", at: fields.path("makespan"))
            }
            check = .makespan(below: below, above: above, realSlack: realSlack)
        } else if let counter = Expectation.Counter.allCases.first(where: {
            fields.has($0.rawValue)
        }) {
            let bounds = try reader.fields(
                fields[counter.rawValue]!, at: fields.path(counter.rawValue),
                table: ScenarioFormat.countBounds)
            var atLeast = try bounds.optional("at_least") { node, path throws(ScenarioError) in
                try reader.int(node, at: path, minimum: 0)
            }
            var atMost = try bounds.optional("at_most") { node, path throws(ScenarioError) in
                try reader.int(node, at: path, minimum: 0)
            }
            if let equals = try bounds.optional(
                "equals",
                { node, path throws(ScenarioError) in try reader.int(node, at: path, minimum: 0)
                })
            {
                atLeast = equals
                atMost = equals
            }
            guard atLeast != nil || atMost != nil else {
                throw reader.error(
                    fields[counter.rawValue], "expected at_least:, at_most: or equals:",
                    at: fields.path(counter.rawValue))
            }
            check = .count(counter, atLeast: atLeast, atMost: atMost)
        } else if let order = fields["finishes_before"] {
            let pair = try reader.strings(order, at: fields.path("finishes_before"))
            guard pair.count == 2 else {
                throw reader.error(
                    order, "expected [first, second]", at: fields.path("finishes_before"))
            }
            let keys = try requireKeys(pair, node: order, at: fields.path("finishes_before"))
            guard keys.count == 2 else {
                throw reader.error(
                    order, "expected two single tasks, not families",
                    at: fields.path("finishes_before"))
            }
            check = .finishesBefore(keys[0], keys[1])
        } else if let wait = fields["wait"] {
            let name = try reader.string(wait, at: fields.path("wait"))
            guard waits.contains(name) else {
                let hint =
                    suggestion(for: name, among: waits).map { "; did you mean '\($0)'?" } ?? ""
                throw reader.error(
                    wait, "no client wait or gather is named '\(name)'\(hint)",
                    at: fields.path("wait"))
            }
            let timedOut = try reader.bool(
                try fields.required("timed_out"), at: fields.path("timed_out"))
            check = .waitTimedOut(name: name, expected: timedOut)
        } else if let flag = ["no_duplicate_execution", "no_invariant_violations", "completes"]
            .first(where: fields.has)
        {
            guard try reader.bool(fields[flag]!, at: fields.path(flag)) else {
                throw reader.error(
                    fields[flag], "only \(flag): true can be expected", at: fields.path(flag))
            }
            check =
                flag == "completes"
                ? .completes
                : flag == "no_duplicate_execution"
                    ? .noDuplicateExecution : .noInvariantViolations
        } else {
            throw reader.error(
                item,
                "expected one of future, makespan, a count (\(Expectation.Counter.allCases.map(\.rawValue).joined(separator: ", "))), finishes_before, wait, no_duplicate_execution, no_invariant_violations, completes",
                at: path)
        }
        if fields.has("timed_out"), !fields.has("wait") {
            throw reader.error(
                fields.place("timed_out"), "timed_out: goes with wait:", at: path)
        }
        if fields.has("status"), !fields.has("future") {
            throw reader.error(fields.place("status"), "status: goes with future:", at: path)
        }
        return Expectation(check: check, line: line, sometimes: sometimes)
    }
}

extension String {
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: Character(target), omittingEmptySubsequences: false).joined(
            separator: replacement)
    }
}
