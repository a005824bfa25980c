/// The policies users select by name.
public enum PolicyRegistry {
    /// Every shipped policy's name, in the order the documentation lists them.
    public static let names = [
        "fifo", "random", "least-loaded", "locality", "work-stealing", "critical-path",
    ]

    /// A new policy called `name`, or `nil` for an unknown name. `seed` feeds the policies that
    /// draw randomly; `stealInterval` the ones that balance.
    public static func make(
        _ name: String, seed: UInt64, stealInterval: Nanoseconds = 1_000_000_000
    ) -> (any SchedulingPolicy)? {
        switch name {
        case "fifo": FIFOPolicy()
        case "random": RandomPolicy(generator: SeededGenerator(seed: seed).split(stream: 1))
        case "least-loaded": LeastLoadedPolicy()
        case "locality": LocalityPolicy()
        case "work-stealing": WorkStealingPolicy(interval: stealInterval)
        case "critical-path": CriticalPathPolicy()
        default: nil
        }
    }
}
