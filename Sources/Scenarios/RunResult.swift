/// What one run of one scenario gave: pass or fail, and the figures `--format json` prints.
public struct RunResult: Sendable, Encodable {
    public var scenario: String
    public var file: String
    public var seed: UInt64
    public var mode: String
    public var policy: String
    public var traceHash: String
    public var makespan: Int64
    /// Final status of each task's future, counted by status.
    public var states: [String: Int]
    public var expectations: [ExpectationResult]
    public var invariantViolations: [String]
    /// Tasks left unfinished when nothing else could happen.
    public var hang: [String]
    public var events: Int
    public var wallSeconds: Double
    /// Each task's final status by key (not in the JSON line; reports use it).
    public var finalStates: [String: String] = [:]

    public var passed: Bool {
        invariantViolations.isEmpty && hang.isEmpty && expectations.allSatisfy(\.ok)
    }

    /// The command that runs this exact run again.
    public var replayCommand: String {
        "orrery run \(file) --seed \(seed)" + (policyOverridden ? " --policy \(policy)" : "")
    }

    var policyOverridden = false

    enum CodingKeys: String, CodingKey {
        case scenario, seed, mode, policy, expectations, hang, events, passed, states
        case traceHash = "trace_hash"
        case makespanSeconds = "makespan_s"
        case invariantViolations = "invariant_violations"
        case wallSeconds = "wall_s"
        case replay
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
        try container.encode(events, forKey: .events)
        try container.encode(wallSeconds, forKey: .wallSeconds)
        try container.encode(passed, forKey: .passed)
        try container.encode(replayCommand, forKey: .replay)
    }
}

/// One expectation's verdict.
public struct ExpectationResult: Sendable, Encodable {
    public var expectation: String
    public var ok: Bool
    public var detail: String
}
