import Cluster
import Yams

/// Tasks, their durations, and the checks of the graph they form.
extension Reading {
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
            case "secede": template.secedeAfter = try reader.duration(value, at: at)
            case "estimate":
                let estimate = try reader.fields(value, at: at, table: ScenarioFormat.estimate)
                template.estimatedDuration = try estimate.optional("duration", reader.duration)
                template.estimatedOutputSize = try estimate.optional("output", reader.size)
                guard estimate.has("duration") || estimate.has("output") else {
                    throw reader.error(value, "expected duration: and/or output:", at: at)
                }
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
                    let hint = didYouMean(dependency, among: known.sorted())
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
                let hint = didYouMean(name, among: known)
                throw reader.error(node, "'\(name)' is not a task\(hint)", at: path)
            }
        }
        return keys
    }
}
