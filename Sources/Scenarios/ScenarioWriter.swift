import Cluster
@_spi(PlantedBugs) import Scheduling

/// Writes a scenario back as a scenario file that reads as the same scenario (`shrink` writes
/// its result this way). Times are written in the largest unit that keeps them exact and sizes
/// in bytes; settings at their defaults are left out; a family whose members are alike is
/// written as one `count:` entry.
public enum ScenarioWriter {
    /// The scenario as the text of a scenario file.
    public static func yaml(_ scenario: Scenario) -> String {
        var lines: [String] = []
        lines.append("name: \(quoted(scenario.name))")
        if !scenario.description.isEmpty {
            lines.append("description: \(quoted(scenario.description))")
        }
        lines.append("seed: \(scenario.seed)")
        if scenario.cpu { lines.append("cpu: true") }
        lines.append("cluster:")
        lines.append("  workers:")
        for worker in scenario.workers { lines.append("    - \(workerEntry(worker))") }
        let network = networkEntry(scenario)
        if network != "{}" { lines.append("network: " + network) }
        lines.append("scheduler: " + schedulerEntry(scenario))
        lines.append("tasks:")
        lines += taskEntries(scenario).map { "  - \($0)" }
        if !scenario.actions.isEmpty {
            lines.append("client:")
            lines += scenario.actions.map { "  - \(actionEntry($0, in: scenario))" }
        }
        if !scenario.faults.isEmpty {
            lines.append("faults:")
            for (index, fault) in scenario.faults.enumerated() {
                lines.append("  - \(faultEntry(fault, times: scenario.faultTimes[index]))")
            }
        }
        if !scenario.expectations.isEmpty {
            lines.append("expect:")
            lines += scenario.expectations.map { "  - \(expectationEntry($0))" }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: Pieces

    private static func map(_ pairs: [(String, String?)]) -> String {
        "{"
            + pairs.compactMap { key, value in value.map { "\(key): \($0)" } }.joined(
                separator: ", ")
            + "}"
    }

    /// A failure's attempts as the loader reads them: a count, or a list.
    private static func written(_ attempts: FailedAttempts) -> String {
        switch attempts {
        case .first(let count): "\(count)"
        case .listed(let list): "[" + list.map(String.init).joined(separator: ", ") + "]"
        }
    }

    private static func list(_ items: [String]) -> String {
        "[" + items.map(quoted).joined(separator: ", ") + "]"
    }

    /// The text as a YAML scalar: bare when it cannot be read as anything else.
    private static func quoted(_ text: String) -> String {
        let bare =
            !text.isEmpty && text.allSatisfy { $0.isLetter || $0.isNumber || "-_.".contains($0) }
            && Double(text) == nil
            && !["true", "false", "yes", "no", "on", "off", "null"].contains(text.lowercased())
        guard !bare else { return text }
        let escaped = text.replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
        return "\"\(escaped)\""
    }

    /// In the largest unit that divides it exactly, so it reads back to the nanosecond.
    private static func time(_ value: Nanoseconds) -> String {
        for (unit, size) in [("s", Nanoseconds(1_000_000_000)), ("ms", 1_000_000), ("us", 1_000)]
        where value != 0 && value % size == 0 {
            return "\(value / size)\(unit)"
        }
        return "\(value)ns"
    }

    private static func range(_ low: Nanoseconds, _ spread: Nanoseconds) -> String {
        spread == 0 ? time(low) : "{uniform: [\(time(low)), \(time(low + spread))]}"
    }

    private static func resources(_ amounts: [String: Double]) -> String? {
        amounts.isEmpty
            ? nil : map(amounts.keys.sorted().map { (quoted($0), "\(amounts[$0]!)") })
    }

    private static func workerEntry(_ worker: WorkerSetup) -> String {
        let defaults = MemoryThresholds()
        func threshold(_ value: Double?, default fallback: Double?) -> String? {
            value == fallback ? nil : value.map { "\($0)" } ?? "false"
        }
        return map([
            ("name", quoted(worker.name)), ("threads", "\(worker.threads)"),
            ("speed", worker.speed == 1 ? nil : "\(worker.speed)"),
            ("memory", worker.memory.map { "\($0)B" }),
            (
                "memory_target",
                threshold(worker.memoryThresholds.target, default: defaults.target)
            ),
            (
                "memory_spill",
                threshold(worker.memoryThresholds.spill, default: defaults.spill)
            ),
            (
                "memory_pause",
                threshold(worker.memoryThresholds.pause, default: defaults.pause)
            ),
            (
                "memory_terminate",
                threshold(worker.memoryThresholds.terminate, default: defaults.terminate)
            ),
            (
                "disk_bandwidth",
                worker.diskBandwidth == WorkerSetup.defaultDiskBandwidth
                    ? nil : "\(worker.diskBandwidth)B/s"
            ),
            ("resources", resources(worker.resources)),
            (
                "first_task_delay",
                worker.firstTaskDelay == 0 ? nil : time(worker.firstTaskDelay)
            ),
            ("handoff", worker.handoff == .fixed(0) ? nil : duration(worker.handoff)),
            ("start_gap", worker.startGap == .fixed(0) ? nil : duration(worker.startGap)),
        ])
    }

    /// Only what differs from the defaults.
    private static func networkEntry(_ scenario: Scenario) -> String {
        let network = scenario.network
        let defaults = NetworkModel()
        return map([
            ("latency", network.latency == defaults.latency ? nil : time(network.latency)),
            (
                "bandwidth",
                network.bandwidth == defaults.bandwidth ? nil : "\(network.bandwidth)B/s"
            ),
            (
                "contention",
                network.contention == defaults.contention ? nil : "\(network.contention)"
            ),
            (
                "connect_latency",
                network.connectLatency == defaults.connectLatency
                    ? nil : time(network.connectLatency)
            ),
            (
                "client_latency",
                scenario.clientLatency + scenario.clientJitter == 0
                    ? nil : range(scenario.clientLatency, scenario.clientJitter)
            ),
            (
                "worker_latency",
                scenario.workerLatency + scenario.workerJitter == 0
                    ? nil : range(scenario.workerLatency, scenario.workerJitter)
            ),
            ("batching", batchingEntry(scenario.batching)),
        ])
    }

    /// The intervals that differ from dask's, if any.
    private static func batchingEntry(_ batching: BatchIntervals) -> String? {
        let changed = BatchIntervals.directions.filter {
            batching[keyPath: $0.path] != BatchIntervals.dask[keyPath: $0.path]
        }
        guard !changed.isEmpty else { return nil }
        return map(changed.map { ($0.name, time(batching[keyPath: $0.path])) })
    }

    /// Only what differs from the defaults.
    private static func schedulerEntry(_ scenario: Scenario) -> String {
        let configuration = scenario.scheduler
        let defaults = SchedulerConfiguration()
        func differs<Value: Equatable>(_ path: KeyPath<SchedulerConfiguration, Value>) -> Bool {
            configuration[keyPath: path] != defaults[keyPath: path]
        }
        return map([
            ("policy", quoted(scenario.policy)),
            (
                "allowed_failures",
                differs(\.allowedFailures) ? "\(configuration.allowedFailures)" : nil
            ),
            ("overhead", scenario.overhead == 0 ? nil : time(scenario.overhead)),
            (
                "worker_saturation",
                !differs(\.workerSaturation)
                    ? nil
                    : configuration.workerSaturation.isFinite
                        ? "\(configuration.workerSaturation)" : "inf"
            ),
            ("steal_interval", differs(\.stealInterval) ? time(configuration.stealInterval) : nil),
            ("memory_manager", configuration.memoryManagerInterval == nil ? "false" : nil),
            (
                "memory_manager_interval",
                configuration.memoryManagerInterval.flatMap {
                    differs(\.memoryManagerInterval) ? time($0) : nil
                }
            ),
            ("bandwidth", differs(\.bandwidth) ? "\(configuration.bandwidth)B/s" : nil),
            ("order", differs(\.staticOrder) ? configuration.staticOrder.rawValue : nil),
            (
                "learn_bandwidth",
                differs(\.learnsBandwidth) ? "\(configuration.learnsBandwidth)" : nil
            ),
            (
                "unknown_task_duration",
                differs(\.unknownTaskDuration) ? time(configuration.unknownTaskDuration) : nil
            ),
            ("detection_delay", scenario.detectionDelay == 0 ? nil : time(scenario.detectionDelay)),
            ("bug", configuration.plantedBug?.rawValue),
        ])
    }

    private static func duration(_ model: DurationModel) -> String {
        switch model {
        case .fixed(let value): time(value)
        case .uniform(let low, let high): "{uniform: [\(time(low)), \(time(high))]}"
        case .normal(let mean, let deviation):
            "{normal: {mean: \(time(mean)), sd: \(time(deviation))}}"
        case .lognormal(let mu, let sigma): "{lognormal: {mu: \(mu), sigma: \(sigma)}}"
        case .exponential(let mean): "{exponential: \(time(mean))}"
        }
    }

    /// Tasks in order; a family (`key-0…key-(n-1)`, alike but for their keys) as one entry.
    private static func taskEntries(_ scenario: Scenario) -> [String] {
        var entries: [String] = []
        var index = 0
        // Scattered data is written with the action that places it.
        let tasks = scenario.tasks.filter { !$0.scattered }
        while index < tasks.count {
            var count = 1
            if let family = familyName(of: tasks[index].key, index: 0) {
                while index + count < tasks.count,
                    tasks[index + count].key == "\(family)-\(count)",
                    alike(tasks[index + count], tasks[index])
                {
                    count += 1
                }
                if scenario.families[family] != nil {
                    entries.append(taskEntry(tasks[index], key: family, count: count))
                    index += count
                    continue
                }
            }
            entries.append(taskEntry(tasks[index], key: tasks[index].key, count: nil))
            index += 1
        }
        return entries
    }

    private static func familyName(of key: String, index: Int) -> String? {
        key.hasSuffix("-\(index)") ? String(key.dropLast("-\(index)".count)) : nil
    }

    private static func alike(_ a: ScenarioTask, _ b: ScenarioTask) -> Bool {
        var a = a
        a.key = b.key
        return a == b
    }

    private static func taskEntry(_ task: ScenarioTask, key: String, count: Int?) -> String {
        map([
            ("key", quoted(key)), ("count", count.map { "\($0)" }),
            ("deps", task.dependencies.isEmpty ? nil : list(task.dependencies)),
            ("duration", duration(task.duration)), ("output", "\(task.outputSize)B"),
            ("priority", task.priority == 0 ? nil : "\(task.priority)"),
            ("retries", task.retries == 0 ? nil : "\(task.retries)"),
            ("resources", resources(task.resources)),
            ("workers", task.workers.isEmpty ? nil : list(task.workers)),
            ("allow_other_workers", task.allowOtherWorkers ? "true" : nil),
            ("cpu", task.cpu.map { "\($0)" }),
            ("secede", task.secedeAfter.map(time)),
            (
                "estimate",
                task.estimatedDuration == nil && task.estimatedOutputSize == nil
                    ? nil
                    : map([
                        ("duration", task.estimatedDuration.map(time)),
                        ("output", task.estimatedOutputSize.map { "\($0)B" }),
                    ])
            ),
        ])
    }

    private static func actionEntry(_ action: ClientAction, in scenario: Scenario) -> String {
        switch action {
        case .submit(let keys, let at):
            map([("at", time(at)), ("submit", list(keys))])
        case .cancel(let keys, let force, let at):
            map([("at", time(at)), ("cancel", list(keys)), ("force", force ? "true" : nil)])
        case .release(let keys, let at):
            map([("at", time(at)), ("release", list(keys))])
        case .scatter(let keys, let at):
            scatterEntry(keys, at: at, data: scenario.tasks.first { $0.key == keys[0] }!)
        case .wait(let keys, let all, let timeout, let name, let at):
            map([
                ("at", time(at)), ("wait", list(keys)),
                ("return_when", all ? "all_completed" : "first_completed"),
                ("timeout", timeout.map(time)), ("name", quoted(name)),
            ])
        }
    }

    /// A scatter action; `data` is its first key's (every key of one action shares its size
    /// and workers).
    private static func scatterEntry(_ keys: [String], at: Nanoseconds, data: ScenarioTask)
        -> String
    {
        map([
            ("at", time(at)), ("scatter", list(keys)), ("size", "\(data.outputSize)B"),
            ("workers", data.workers.isEmpty ? nil : list(data.workers)),
        ])
    }

    private static func endpoint(_ endpoint: Endpoint) -> String { quoted(endpoint.description) }

    private static func faultEntry(_ fault: Fault, times: ClosedRange<Nanoseconds>?) -> String {
        let at = times.map { "{uniform: [\(time($0.lowerBound)), \(time($0.upperBound))]}" }
        switch fault {
        case .kill(let worker, let start):
            return map([("at", at ?? time(start)), ("kill", quoted(worker))])
        case .add(let setup, let start):
            return map([("at", at ?? time(start)), ("add", workerEntry(setup))])
        case .slow(let worker, let factor, let start, let end):
            return map([
                ("at", at ?? time(start)), ("slow", quoted(worker)), ("factor", "\(factor)"),
                ("for", time(end - start)),
            ])
        case .failTask(let key, let attempts, let error):
            return map([
                ("fail", quoted(key)),
                ("attempts", written(attempts)),
                ("error", quoted(error)),
            ])
        case .failRandomly(let probability, let error):
            return map([("fail_probability", "\(probability)"), ("error", quoted(error))])
        case .delayLink(let a, let b, let extra, let start, let end):
            return map([
                ("at", at ?? time(start)), ("delay", "[\(endpoint(a)), \(endpoint(b))]"),
                ("by", time(extra)), ("for", time(end - start)),
            ])
        case .partition(let a, let b, let start, let end):
            return map([
                ("at", at ?? time(start)), ("partition", "[\(endpoint(a)), \(endpoint(b))]"),
                ("for", time(end - start)),
            ])
        case .hold(let rule):
            let match = map([
                ("message", rule.message.wireName), ("from", rule.from.map(endpoint)),
                ("to", rule.to.map(endpoint)), ("key", rule.key.map(quoted)),
            ])
            return map([
                ("at", at ?? time(rule.after)), ("hold", match), ("by", time(rule.by)),
                ("all", rule.all ? "true" : nil),
            ])
        }
    }

    private static func matchEntry(_ match: TraceMatch) -> String {
        map([
            ("kind", match.kind.map(quoted)), ("task", match.task.map { quoted($0.name) }),
            ("worker", match.worker.map(quoted)),
            (
                "message",
                match.message.map { name in
                    quoted(MessageKind.allCases.first { $0.name == name }?.wireName ?? name)
                }
            ),
            ("from", match.from.map(quoted)), ("to", match.to.map(quoted)),
            ("state", match.state.map(quoted)),
        ])
    }

    private static func expectationEntry(_ expectation: Expectation) -> String {
        let entry: String
        switch expectation.check {
        case .status(_, let name, let status, let error):
            entry = map([
                ("future", quoted(name)), ("status", status), ("error", error.map(quoted)),
            ])
        case .makespan(let below, let above, let realSlack):
            entry = map([
                (
                    "makespan",
                    map([
                        ("below", below.map(time)), ("above", above.map(time)),
                        ("real_slack", realSlack.map(time)),
                    ])
                )
            ])
        case .count(let counter, let atLeast, let atMost, let subject):
            entry = map([
                (
                    counter.rawValue,
                    map([
                        ("at_least", atLeast.map { "\($0)" }), ("at_most", atMost.map { "\($0)" }),
                        ("of", subject.map { quoted($0.name) }),
                    ])
                )
            ])
        case .noDuplicateExecution: entry = "{no_duplicate_execution: true}"
        case .noInvariantViolations: entry = "{no_invariant_violations: true}"
        case .completes: entry = "{completes: true}"
        case .finishesBefore(let first, let second):
            entry = map([("finishes_before", list([first, second]))])
        case .waitTimedOut(let name, let expected):
            entry = map([("wait", quoted(name)), ("timed_out", "\(expected)")])
        case .occurs(let match, nil, 0, nil):
            entry = map([("never", matchEntry(match))])
        case .occurs(let match, let atLeast, let atMost, let after):
            entry = map([
                ("occurs", matchEntry(match)), ("at_least", atLeast.map { "\($0)" }),
                ("at_most", atMost.map { "\($0)" }), ("after", after.map(matchEntry)),
            ])
        }
        return expectation.sometimes ? "{sometimes: \(entry)}" : entry
    }
}
