import Cluster
import Simulation
@_spi(PlantedBugs) import Scheduling

/// What one run of one scenario gave: pass or fail, and the figures `--format json` prints.
public struct RunResult: Sendable, Encodable {
    public var scenario: String
    public var file: String
    public var seed: UInt64
    public var mode: String
    public var policy: String
    public var traceHash = ""
    public var makespan: Int64 = 0
    /// The run's makespan and counts, as its expectations read them (and its report shows).
    public var tally = RunTally()
    public var expectations: [ExpectationResult] = []
    public var invariantViolations: [String] = []
    /// Tasks left unfinished when nothing else could happen.
    public var hang: [String] = []
    /// Why the run was stopped before it settled (a livelock, or its event limit), if it was.
    public var stopped: String?
    public var events = 0
    public var wallSeconds: Double = 0
    /// Each task's final status, in the scenario's order (not in the JSON line).
    public var taskStatuses: [(key: String, status: String)] = []
    /// The kind of error of each erred task's future, by key (looked up only).
    public var errorKinds: [String: String] = [:]

    /// Each task's final status by key (reports use it).
    public var finalStates: [String: String] {
        Dictionary(taskStatuses, uniquingKeysWith: { _, last in last })
    }

    /// Final status of each task's future, counted by status.
    public var states: [String: Int] {
        // Few statuses occur: counted in a short list, not a table hashed per task.
        var counts: [(status: String, count: Int)] = []
        for (_, status) in taskStatuses {
            if let index = counts.firstIndex(where: { $0.status == status }) {
                counts[index].count += 1
            } else {
                counts.append((status, 1))
            }
        }
        return Dictionary(uniqueKeysWithValues: counts)
    }

    /// No invariant broke, nothing hung, the run was not stopped, and every expectation held
    /// (a `sometimes:` one need not: it is judged over a sweep).
    public var passed: Bool {
        invariantViolations.isEmpty && hang.isEmpty && stopped == nil
            && expectations.allSatisfy { $0.ok || $0.sometimes }
    }

    /// Wall-clock time per unit of modelled time, for a real run.
    public var timeScale: Double?
    /// How the simulation departed from the nominal interleaving.
    public var perturbation = Perturbation.none
    /// With swarm testing, the fault kinds the seed left on.
    public var swarm: [String]?

    /// The command that runs this exact run again (a real run: the same scenario again).
    public var replayCommand: String { "orrery run \(file)" + replayArguments }

    /// What follows the file in a command that runs this exact run again: the seed and every
    /// option that changed the run.
    public var replayArguments: String {
        " --seed \(seed)" + (policyOverridden ? " --policy \(policy)" : "")
            + (mode == "real" ? " --mode real --time-scale \(timeScale ?? 1)" : "")
            + (swarm != nil ? " --swarm" : "")
            + (perturbation.pctChangePoints.map { " --pct \($0)" } ?? "")
            + (plantedBug != nil || bugChosen ? " --bug \(plantedBug?.rawValue ?? "none")" : "")
    }

    var policyOverridden = false
    /// The bug zoo's planted bug the run had, from the file or the command line.
    var plantedBug: PlantedBug?
    /// Whether the command line chose the planted bug (`--bug`, `none` included): the replay
    /// command then names it even when it is none, as the file may have one.
    public var bugChosen = false

    /// A result not judged yet: the final status of each task, in the scenario's order.
    init(
        scenario: Scenario, mode: String, seed: UInt64, policy: String,
        statuses: [(key: String, status: String)]
    ) {
        self.scenario = scenario.name
        file = scenario.file
        plantedBug = scenario.scheduler.plantedBug
        self.seed = seed
        self.mode = mode
        self.policy = policy
        taskStatuses = statuses
    }

    /// Records how the run went wrong, if it did, and checks the scenario's expectations.
    mutating func judge(_ scenario: Scenario, failure: RunFailure?, facts: RunFacts) {
        switch failure {
        case .invariant(let time, let violations, let recent)?:
            invariantViolations = violations.map { "at \(time) ns: \($0)" } + recent
        case .hang(_, let stuck)?:
            hang = stuck
        case .stopped(_, let reason)?:
            stopped = reason
        case nil:
            break
        }
        makespan = facts.makespan
        tally = facts.tally
        // Made only if an expectation asks for a key's status.
        var finalStates: [String: String]?
        expectations = scenario.expectations.map { expectation in
            ScenarioRunner.evaluate(
                expectation, facts: facts,
                status: { key in
                    if finalStates == nil { finalStates = self.finalStates }
                    return finalStates![key] ?? "unsubmitted"
                },
                result: self)
        }
    }

    enum CodingKeys: String, CodingKey {
        case scenario, seed, mode, policy, expectations, hang, stopped, events, passed, states
        case traceHash = "trace_hash"
        case makespanSeconds = "makespan_s"
        case invariantViolations = "invariant_violations"
        case wallSeconds = "wall_s"
        case replay, perturbed, swarm
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(scenario, forKey: .scenario)
        try container.encode(seed, forKey: .seed)
        try container.encode(mode, forKey: .mode)
        try container.encode(policy, forKey: .policy)
        try container.encode(traceHash, forKey: .traceHash)
        try container.encode(Double(makespan) / 1e9, forKey: .makespanSeconds)
        try container.encode(states, forKey: .states)
        try container.encode(expectations, forKey: .expectations)
        try container.encode(invariantViolations, forKey: .invariantViolations)
        try container.encode(hang, forKey: .hang)
        try container.encodeIfPresent(stopped, forKey: .stopped)
        try container.encode(events, forKey: .events)
        try container.encode(wallSeconds, forKey: .wallSeconds)
        try container.encode(passed, forKey: .passed)
        try container.encode(replayCommand, forKey: .replay)
        try container.encode(perturbation != .none, forKey: .perturbed)
        try container.encodeIfPresent(swarm, forKey: .swarm)
    }
}

/// One expectation's verdict.
public struct ExpectationResult: Sendable, Encodable {
    public var expectation: String
    public var ok: Bool
    public var detail: String
    /// A `sometimes:` expectation: it need hold in one seed of a sweep only.
    public var sometimes = false
    /// How it failed, as sweeps group failures and shrinking keeps them: the expectation, and
    /// for a status expectation the statuses found (a task still running and a task never
    /// submitted are different failures).
    public var failure: String

    private enum CodingKeys: String, CodingKey { case expectation, ok, detail, sometimes }
}
