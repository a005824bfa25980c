import Scheduling

/// How long a task runs, as a fixed time or a distribution drawn from a seeded stream.
///
/// A simulation takes a task's running time from here; the task's closure still runs, for its
/// value. The thread executor sleeps or spins for it.
public enum DurationModel: Sendable, Hashable {
    case fixed(Nanoseconds)
    /// Uniform between the two bounds.
    case uniform(Nanoseconds, Nanoseconds)
    /// Normal with this mean and standard deviation, cut at zero.
    case normal(mean: Nanoseconds, deviation: Nanoseconds)
    /// exp(N(mu, sigma)) seconds.
    case lognormal(mu: Double, sigma: Double)
    /// Exponential with this mean.
    case exponential(mean: Nanoseconds)

    /// A running time drawn from `generator` (a fixed model draws nothing).
    public func sample(using generator: inout SeededGenerator) -> Nanoseconds {
        switch self {
        case .fixed(let value):
            return value
        case .uniform(let low, let high):
            return low.saturatingAdd(Nanoseconds(saturating: Double(high - low) * generator.unit()))
        case .normal(let mean, let deviation):
            return max(
                0,
                mean.saturatingAdd(
                    Nanoseconds(saturating: Double(deviation) * generator.standardNormal())))
        case .lognormal(let mu, let sigma):
            return Nanoseconds(
                saturating: naturalExp(mu + sigma * generator.standardNormal()) * 1e9)
        case .exponential(let mean):
            return Nanoseconds(saturating: -naturalLog(1 - generator.unit()) * Double(mean))
        }
    }

    /// The expected running time, for the scheduler's estimates.
    public var mean: Nanoseconds {
        switch self {
        case .fixed(let value): value
        case .uniform(let low, let high): low + (high - low) / 2
        case .normal(let mean, _): mean
        case .lognormal(let mu, let sigma):
            Nanoseconds(saturating: naturalExp(mu + sigma * sigma / 2) * 1e9)
        case .exponential(let mean): mean
        }
    }
}

/// What a simulation (or the thread executor) needs to know of a task beyond its closure.
public struct WorkModel: Sendable, Hashable {
    public var duration: DurationModel
    /// Bytes of its result.
    public var outputSize: Int64
    /// Whether the thread executor spends the duration spinning a CPU rather than sleeping
    /// (a simulation takes the same time either way).
    public var spins: Bool
    /// After running this long (at the worker's speed), the task secedes from its worker's
    /// threads (dask's `secede()`): its thread takes other work while it runs on. `nil`: it
    /// never does; neither does one that ends first.
    public var secedeAfter: Nanoseconds?

    public init(
        duration: DurationModel = .fixed(0), outputSize: Int64 = 8, spins: Bool = false,
        secedeAfter: Nanoseconds? = nil
    ) {
        self.duration = duration
        self.outputSize = outputSize
        self.spins = spins
        self.secedeAfter = secedeAfter
    }
}
