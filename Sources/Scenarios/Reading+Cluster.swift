import Cluster
@_spi(PlantedBugs) import Scheduling
import Yams

/// The cluster, the network and the scheduler's settings.
extension Reading {
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
            ("memory_target", \MemoryThresholds.target), ("memory_spill", \.spill),
            ("memory_pause", \.pause), ("memory_terminate", \.terminate),
        ] where fields.has(key) {
            guard memory != nil else {
                throw reader.error(
                    fields.place(key), "\(key) needs a memory: limit", at: fields.path(key))
            }
            thresholds[keyPath: threshold] = try fields.optional(key, reader.threshold) ?? nil
        }
        let disk = try fields.optional("disk_bandwidth", reader.bandwidth)
        if disk != nil, memory == nil {
            throw reader.error(
                fields.place("disk_bandwidth"), "disk_bandwidth needs a memory: limit",
                at: fields.path("disk_bandwidth"))
        }
        let diskBandwidth = disk ?? WorkerSetup.defaultDiskBandwidth
        let firstTaskDelay = try fields.optional("first_task_delay", reader.duration) ?? 0
        let handoff = try fields.optional("handoff", durationModel) ?? .fixed(0)
        let startGap = try fields.optional("start_gap", durationModel) ?? .fixed(0)
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
                    memoryThresholds: thresholds, diskBandwidth: diskBandwidth,
                    resources: resources,
                    firstTaskDelay: firstTaskDelay, handoff: handoff, startGap: startGap)
            }
        }
        let name = try reader.string(try fields.required("name"), at: fields.path("name"))
        return [
            WorkerSetup(
                name: name, threads: threads, speed: speed, memory: memory,
                memoryThresholds: thresholds, diskBandwidth: diskBandwidth, resources: resources,
                firstTaskDelay: firstTaskDelay, handoff: handoff, startGap: startGap)
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
        if let connect = try fields.optional("connect_latency", reader.duration) {
            scenario.network.connectLatency = connect
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

    /// A scheduler key whose value is one of an enumeration's words; refused at its place,
    /// with the words it could be, if it is another.
    private func word<Value: RawRepresentable & CaseIterable>(
        _ key: String, naming what: String, in fields: Fields
    ) throws(ScenarioError) -> Value? where Value.RawValue == String {
        guard let text = try fields.optional(key, reader.string) else { return nil }
        guard let value = Value(rawValue: text) else {
            throw reader.error(
                fields[key], unknownName(what, text, known: Value.allCases.map(\.rawValue)),
                at: "scheduler.\(key)")
        }
        return value
    }

    func readScheduler(_ node: Node, into scenario: inout Scenario) throws(ScenarioError) {
        let fields = try reader.fields(
            node, at: "scheduler",
            table: ScenarioFormat.scheduler)
        if let planted: PlantedBug = try word("bug", naming: "planted bug", in: fields) {
            scenario.scheduler.plantedBug = planted
        }
        if let policy = try fields.optional("policy", reader.string) {
            guard knownPolicies.contains(policy) else {
                throw reader.error(
                    fields["policy"], unknownName("policy", policy, known: knownPolicies),
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
        func positiveDuration(_ key: String) throws(ScenarioError) -> Nanoseconds? {
            guard let value = try fields.optional(key, reader.duration) else { return nil }
            guard value > 0 else {
                throw reader.error(
                    fields[key], "expected a positive duration", at: "scheduler.\(key)")
            }
            return value
        }
        if let interval = try positiveDuration("steal_interval") {
            scenario.scheduler.stealInterval = interval
        }
        if let bandwidth = try fields.optional("bandwidth", reader.bandwidth) {
            scenario.scheduler.bandwidth = bandwidth
        }
        if try fields.optional("memory_manager", reader.bool) == false {
            scenario.scheduler.memoryManagerInterval = nil
        }
        if let interval = try positiveDuration("memory_manager_interval"),
            scenario.scheduler.memoryManagerInterval != nil
        {
            scenario.scheduler.memoryManagerInterval = interval
        }
        if let order: StaticOrder = try word("order", naming: "order", in: fields) {
            scenario.scheduler.staticOrder = order
        }
        if let learns = try fields.optional("learn_bandwidth", reader.bool) {
            scenario.scheduler.learnsBandwidth = learns
        }
        if let unknown = try fields.optional("unknown_task_duration", reader.duration) {
            scenario.scheduler.unknownTaskDuration = unknown
        }
        scenario.detectionDelay = try fields.optional("detection_delay", reader.duration) ?? 0
    }
}
