import Cluster
import Scheduling

/// Makes a failing scenario smaller while it keeps failing the same way under the same seed:
/// greedy delta debugging over faults, client actions, expectations that are not part of the
/// failure, tasks (whole families, then halves and single members), workers, threads and
/// duration distributions. Every candidate is written as a scenario file and read back before
/// it runs, so what it reports is a file that reproduces.
public struct Shrinker {
    /// Sizes of a scenario, before and after.
    public struct Size: Sendable, Equatable, CustomStringConvertible {
        public var tasks: Int
        public var workers: Int
        public var faults: Int
        public var actions: Int
        public var expectations: Int
        public var lines: Int

        init(_ scenario: Scenario) {
            tasks = scenario.tasks.count
            workers = scenario.workers.count
            faults = scenario.faults.count
            actions = scenario.actions.count
            expectations = scenario.expectations.count
            lines = ScenarioWriter.yaml(scenario).split(separator: "\n").count
        }

        public var description: String {
            "\(tasks) tasks, \(workers) workers, \(faults) faults, \(actions) client actions, \(expectations) expectations, \(lines) lines"
        }
    }

    /// What shrinking found: the smallest scenario that still fails the same way.
    public struct Outcome: Sendable {
        public var scenario: Scenario
        /// The failure it kept: see ``Exploration/signature(of:)``.
        public var signature: String
        public var before: Size
        public var after: Size
        /// Candidates tried.
        public var runs: Int
    }

    /// Why a scenario cannot be shrunk.
    public enum Problem: Error, Sendable, CustomStringConvertible {
        case passes
        case notWritable
        public var description: String {
            switch self {
            case .passes: "the scenario does not fail with this seed: nothing to shrink"
            case .notWritable:
                "the scenario cannot be written back as a file that runs the same (generated families are not supported)"
            }
        }
    }

    let seed: UInt64
    let policy: String?
    let policies: [PolicyFactory]
    let swarm: Bool
    let pct: Int?
    let signature: String
    private(set) var runs = 0

    /// Shrinks `scenario`, which must fail under `seed`.
    public static func shrink(
        _ scenario: Scenario, seed: UInt64, policy: String? = nil, policies: [PolicyFactory] = [],
        swarm: Bool = false, pct: Int? = nil
    ) throws(Problem) -> Outcome {
        let first = ScenarioRunner.simulate(
            scenario, seed: seed, policy: policy, policies: policies,
            perturbation: .implied(by: seed, of: scenario, pct: pct), swarm: swarm
        ).0
        guard !first.passed else { throw .passes }
        var shrinker = Shrinker(
            seed: seed, policy: policy, policies: policies, swarm: swarm,
            pct: pct, signature: Exploration.signature(of: first))
        guard shrinker.failsTheSameWay(scenario) else { throw .notWritable }
        var current = scenario
        while let smaller = shrinker.smaller(than: current) { current = smaller }
        return Outcome(
            scenario: current, signature: shrinker.signature, before: Size(scenario),
            after: Size(current), runs: shrinker.runs)
    }

    /// Whether the candidate, written and read back, fails with the same signature.
    mutating func failsTheSameWay(_ candidate: Scenario) -> Bool {
        runs += 1
        guard
            let loaded = try? ScenarioLoader.load(
                ScenarioWriter.yaml(candidate), file: candidate.file,
                policies: PolicyRegistry.names + policies.map(\.name))
        else { return false }
        // A candidate keeps the file's seed, so the seed perturbs it as it did the original.
        let result = ScenarioRunner.simulate(
            loaded, seed: seed, policy: policy, policies: policies,
            perturbation: .implied(by: seed, of: loaded, pct: pct), swarm: swarm
        ).0
        return !result.passed && Exploration.signature(of: result) == signature
    }

    /// The first smaller candidate that still fails the same way, if any.
    mutating func smaller(than scenario: Scenario) -> Scenario? {
        for candidate in candidates(from: scenario) where failsTheSameWay(candidate) {
            return candidate
        }
        return nil
    }

    /// Smaller variants, the biggest cuts first.
    func candidates(from scenario: Scenario) -> [Scenario] {
        var result: [Scenario] = []
        for index in scenario.faults.indices.reversed() {
            result.append(scenario.removingFault(at: index))
        }
        for index in scenario.actions.indices.reversed() where scenario.actions.count > 1 {
            var candidate = scenario
            // Data no action scatters any more goes too.
            if case .scatter(let keys, _) = candidate.actions.remove(at: index) {
                candidate = candidate.removingTasks(Set(keys))
            }
            result.append(candidate)
        }
        for index in scenario.expectations.indices.reversed()
        where !signature.contains(scenario.expectations[index].text) {
            var candidate = scenario
            candidate.expectations.remove(at: index)
            result.append(candidate)
        }
        // Whole families, then their second halves, then their last members.
        for name in scenario.families.keys.sorted() {
            let keys = scenario.families[name]!
            result.append(scenario.removingTasks(Set(keys)))
            if keys.count > 1 {
                result.append(scenario.removingTasks(Set(keys.suffix(keys.count / 2))))
                result.append(scenario.removingTasks([keys.last!]))
            }
        }
        let familyMembers = Set(scenario.families.values.joined())
        for task in scenario.tasks.reversed() where !familyMembers.contains(task.key) {
            result.append(scenario.removingTasks([task.key]))
        }
        for worker in scenario.workers.reversed() where scenario.workers.count > 1 {
            result.append(scenario.removingWorker(worker.name))
        }
        for index in scenario.workers.indices where scenario.workers[index].threads > 1 {
            var candidate = scenario
            candidate.workers[index].threads = 1
            result.append(candidate)
        }
        // A fault time drawn from bounds becomes the time this seed drew.
        let drawn = ScenarioRunner.faults(of: scenario, seed: seed, swarm: false)
        for index in scenario.faultTimes.keys.sorted() {
            var candidate = scenario
            candidate.faults[index] = drawn[index]
            candidate.faultTimes[index] = nil
            result.append(candidate)
        }
        // A drawn duration becomes its mean, for every task that draws it.
        for model in scenario.tasks.map(\.duration).uniqued() {
            if case .fixed = model { continue }
            var candidate = scenario
            for index in candidate.tasks.indices where candidate.tasks[index].duration == model {
                candidate.tasks[index].duration = .fixed(model.mean)
            }
            result.append(candidate)
        }
        return result
    }
}

extension Scenario {
    func removingFault(at index: Int) -> Scenario {
        var scenario = self
        scenario.faults.remove(at: index)
        var times: [Int: ClosedRange<Nanoseconds>] = [:]
        for (position, range) in faultTimes where position != index {
            times[position > index ? position - 1 : position] = range
        }
        scenario.faultTimes = times
        return scenario
    }

    /// Without these tasks, and without what names only them.
    func removingTasks(_ removed: Set<String>) -> Scenario {
        var scenario = self
        scenario.tasks = tasks.filter { !removed.contains($0.key) }
        for index in scenario.tasks.indices {
            scenario.tasks[index].dependencies.removeAll { removed.contains($0) }
        }
        var families: [String: [String]] = [:]
        for (name, keys) in self.families {
            let kept = keys.filter { !removed.contains($0) }
            if !kept.isEmpty { families[name] = kept }
        }
        scenario.families = families
        scenario.actions = actions.compactMap { action in
            switch action {
            case .submit(let keys, let at):
                let kept = keys.filter { !removed.contains($0) }
                return kept.isEmpty && !keys.isEmpty ? nil : .submit(keys: kept, at: at)
            case .cancel(let keys, let force, let at):
                let kept = keys.filter { !removed.contains($0) }
                return kept.isEmpty ? nil : .cancel(keys: kept, force: force, at: at)
            case .release(let keys, let at):
                let kept = keys.filter { !removed.contains($0) }
                return kept.isEmpty ? nil : .release(keys: kept, at: at)
            case .scatter(let keys, let at):
                let kept = keys.filter { !removed.contains($0) }
                return kept.isEmpty ? nil : .scatter(keys: kept, at: at)
            case .wait(let keys, let all, let timeout, let name, let at):
                let kept = keys.filter { !removed.contains($0) }
                return kept.isEmpty
                    ? nil : .wait(keys: kept, all: all, timeout: timeout, name: name, at: at)
            }
        }
        scenario.expectations = expectations.compactMap { expectation in
            var expectation = expectation
            switch expectation.check {
            case .status(let keys, let name, let status, let error):
                let kept = keys.filter { !removed.contains($0) }
                guard !kept.isEmpty else { return nil }
                expectation.check = .status(keys: kept, name: name, status: status, error: error)
            case .count(let counter, let atLeast, let atMost, var subject?):
                subject.keys.removeAll { removed.contains($0) }
                guard !subject.keys.isEmpty else { return nil }
                expectation.check = .count(counter, atLeast: atLeast, atMost: atMost, of: subject)
            case .finishesBefore(let first, let second):
                if removed.contains(first) || removed.contains(second) { return nil }
            default:
                break
            }
            return expectation
        }
        return scenario.removingFaults {
            switch $0 {
            case .failTask(let key, _, _): removed.contains(key)
            case .hold(let rule): rule.key.map(removed.contains) ?? false
            default: false
            }
        }
    }

    /// Without the worker, the faults that name it and the restrictions to it.
    func removingWorker(_ name: String) -> Scenario {
        var scenario = self
        scenario.workers.removeAll { $0.name == name }
        for index in scenario.tasks.indices {
            scenario.tasks[index].workers.removeAll { $0 == name }
        }
        return scenario.removingFaults { fault in
            switch fault {
            case .kill(let worker, _), .slow(let worker, _, _, _): worker == name
            case .add(let setup, _): setup.name == name
            case .delayLink(let a, let b, _, _, _), .partition(let a, let b, _, _):
                a == .worker(name) || b == .worker(name)
            case .hold(let rule): rule.from == .worker(name) || rule.to == .worker(name)
            case .failTask, .failRandomly: false
            }
        }
    }

    private func removingFaults(where matches: (Fault) -> Bool) -> Scenario {
        var scenario = self
        for index in faults.indices.reversed() where matches(faults[index]) {
            scenario = scenario.removingFault(at: index)
        }
        return scenario
    }
}
