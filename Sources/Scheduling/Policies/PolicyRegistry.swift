/// Makes a policy by name: the shipped ones, plus any a program adds.
public struct PolicyFactory: Sendable {
    public var name: String
    /// Makes a fresh policy for one run; `seed` feeds policies that draw randomly,
    /// `stealInterval` policies that balance.
    public var make:
        @Sendable (_ seed: UInt64, _ stealInterval: Nanoseconds) -> any SchedulingPolicy

    public init(
        name: String,
        make:
            @escaping @Sendable (_ seed: UInt64, _ stealInterval: Nanoseconds) ->
            any SchedulingPolicy
    ) {
        self.name = name
        self.make = make
    }
}

/// The policies users select by name.
public enum PolicyRegistry {
    /// Every shipped policy's name, in the order the documentation lists them.
    public static let names = [
        "fifo", "random", "least-loaded", "locality", "work-stealing", "critical-path",
    ]

    /// A new policy called `name` from `custom` or the shipped ones (custom first), or `nil`
    /// for an unknown name. `seed` feeds the policies that draw randomly; `stealInterval` the
    /// ones that balance.
    public static func make(
        _ name: String, seed: UInt64, stealInterval: Nanoseconds = 1_000_000_000,
        custom: [PolicyFactory] = []
    ) -> (any SchedulingPolicy)? {
        if let factory = custom.first(where: { $0.name == name }) {
            return factory.make(seed, stealInterval)
        }
        return switch name {
        case "fifo": FIFOPolicy()
        case "random": RandomPolicy(generator: SeededGenerator(seed: seed).split(.policy))
        case "least-loaded": LeastLoadedPolicy()
        case "locality": LocalityPolicy()
        case "work-stealing": WorkStealingPolicy(interval: stealInterval)
        case "critical-path": CriticalPathPolicy()
        default: nil
        }
    }
}
