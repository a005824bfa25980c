/// The order in which ready tasks run: smaller first.
///
/// dask's tuple (−user priority, generation, submission order), with a policy rank between
/// generation and submission order so a policy (critical-path) can reorder tasks of one
/// submission without overriding the user's priorities.
///
/// Every task record, queue entry and ready entry holds one, so the user priority and the
/// generation are kept in 32 bits each (24 bytes in all instead of 32): user priorities
/// beyond ±2³¹ are clamped to it.
public struct TaskPriority: Hashable, Comparable, Sendable, CustomStringConvertible {
    private var user: Int32
    private var era: Int32
    /// Set by the policy; smaller first (0 unless the policy ranks tasks).
    public var rank: Int64
    /// Submission order, unique per task.
    public var sequence: Int

    public init(negatedUser: Int, generation: Int, rank: Int64 = 0, sequence: Int) {
        user = Int32(clamping: negatedUser)
        era = Int32(clamping: generation)
        self.rank = rank
        self.sequence = sequence
    }

    /// The negated user priority: higher user priority sorts first.
    public var negatedUser: Int {
        get { Int(user) }
        set { user = Int32(clamping: newValue) }
    }

    /// Submissions more than the FIFO timeout apart get increasing generations.
    public var generation: Int {
        get { Int(era) }
        set { era = Int32(clamping: newValue) }
    }

    public static func < (lhs: TaskPriority, rhs: TaskPriority) -> Bool {
        (lhs.user, lhs.era, lhs.rank, lhs.sequence) < (rhs.user, rhs.era, rhs.rank, rhs.sequence)
    }

    public var description: String { "(\(negatedUser),\(generation),\(rank),\(sequence))" }
}
