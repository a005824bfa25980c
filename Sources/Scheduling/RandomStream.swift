/// The independent random streams a run draws from, each split from the run's seed (see
/// ``SeededGenerator/split(_:)``). Drawing more from one never shifts another, so a change in
/// how durations are drawn leaves fault times, tie orders and keys as they were. The raw
/// values are part of every recorded seed's meaning: never renumber them.
public enum RandomStream: UInt64, Sendable {
    /// The `random` policy's worker choices.
    case policy = 1
    /// Execution durations drawn from their distributions.
    case durations = 2
    /// Random task failures.
    case faultDraws = 3
    /// Message latencies drawn within their jitter.
    case jitter = 4
    /// Key suffixes of impure tasks.
    case tokens = 5
    /// The order of same-time events, when perturbed.
    case ties = 6
    /// Fault times given as bounds.
    case faultTimes = 7
    /// Which fault kinds a swarm run keeps.
    case swarm = 8
    /// Workers' handoffs drawn from their distributions.
    case handoffs = 9
    /// The gaps between a worker's starts of executions, drawn from their distributions.
    case startGaps = 10
}

extension SeededGenerator {
    /// The generator of one of the run's streams.
    public func split(_ stream: RandomStream) -> SeededGenerator { split(stream: stream.rawValue) }
}
