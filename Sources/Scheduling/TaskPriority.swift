/// The order in which ready tasks run: smaller first.
///
/// dask's tuple (−user priority, generation, submission order), with a policy rank between
/// generation and submission order so a policy (critical-path) can reorder tasks of one
/// submission without overriding the user's priorities.
public struct TaskPriority: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The negated user priority: higher user priority sorts first.
    public var negatedUser: Int
    /// Submissions more than the FIFO timeout apart get increasing generations.
    public var generation: Int
    /// Set by the policy; smaller first (0 unless the policy ranks tasks).
    public var rank: Int64
    /// Submission order, unique per task.
    public var sequence: Int

    public init(negatedUser: Int, generation: Int, rank: Int64 = 0, sequence: Int) {
        self.negatedUser = negatedUser
        self.generation = generation
        self.rank = rank
        self.sequence = sequence
    }

    public static func < (lhs: TaskPriority, rhs: TaskPriority) -> Bool {
        (lhs.negatedUser, lhs.generation, lhs.rank, lhs.sequence)
            < (rhs.negatedUser, rhs.generation, rhs.rank, rhs.sequence)
    }

    public var description: String { "(\(negatedUser),\(generation),\(rank),\(sequence))" }
}
