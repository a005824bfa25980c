/// Where ready tasks run, in what order, and (optionally) how work is rebalanced.
///
/// The scheduler does everything else: it filters candidates by status, restrictions,
/// resources and free slots, keeps the books, runs the steal protocol and handles every race.
/// A policy only decides. Adding one means one type and a line in ``PolicyRegistry``.
///
/// Policies are classes so they can keep state (a round-robin position, a seeded generator)
/// while reading the scheduler. They must be deterministic: any randomness comes from a
/// ``SeededGenerator`` they were given.
public protocol SchedulingPolicy: AnyObject {
    /// The name users select the policy by, such as `locality`.
    var name: String { get }

    /// Picks the worker for a ready task. `candidates` holds at least two running workers that
    /// may run it, in id order; the choice must be one of them.
    func chooseWorker(for task: TaskID, among candidates: [WorkerID], in scheduler: Scheduler)
        -> WorkerID

    /// Called with the tasks a graph update created, before any of them is dispatched, so the
    /// policy can rank them with ``Scheduler/setRank(_:of:)``.
    func prioritize(_ tasks: [TaskID], in scheduler: Scheduler)

    /// How often ``balance(in:)`` runs; `nil` for a policy that never moves work.
    var balanceInterval: Nanoseconds? { get }

    /// Tasks to move off their current worker; the scheduler asks each victim and moves a task
    /// only if the victim had not started it.
    func balance(in scheduler: Scheduler) -> [StealPlan]
}

extension SchedulingPolicy {
    public func prioritize(_ tasks: [TaskID], in scheduler: Scheduler) {}
    public var balanceInterval: Nanoseconds? { nil }
    public func balance(in scheduler: Scheduler) -> [StealPlan] { [] }
}

/// A task a balancing policy wants moved to another worker.
public struct StealPlan: Hashable, Sendable {
    public var task: TaskID
    public var thief: WorkerID

    public init(task: TaskID, thief: WorkerID) {
        self.task = task
        self.thief = thief
    }
}
