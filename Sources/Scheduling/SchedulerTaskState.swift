/// A task's state on the scheduler, as dask.distributed's scheduler names them.
public enum SchedulerTaskState: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Known, not wanted to run now (or its data was dropped).
    case released
    /// Wanted; some dependency is not in memory yet.
    case waiting
    /// A root-ish task ready to run, held back because every worker is saturated.
    case queued
    /// Ready, but no running worker satisfies its restrictions or resources.
    case noWorker
    /// Assigned to a worker, running or about to.
    case processing
    /// Its result is held by at least one worker.
    case memory
    /// Failed (or a dependency failed); holds the failure.
    case erred
    /// Nobody needs it any more; the key may be submitted again.
    case forgotten

    /// Whether the scheduler moves a task directly from this state to `next` (dask's
    /// transition table; Semantics: Scheduler task states). Other pairs go through `released`.
    public func hasDirectTransition(to next: SchedulerTaskState) -> Bool {
        switch (self, next) {
        case (.released, .waiting), (.released, .erred), (.released, .forgotten): true
        case (.waiting, .released), (.waiting, .processing), (.waiting, .noWorker),
            (.waiting, .queued), (.waiting, .memory):
            true
        case (.queued, .released), (.queued, .processing), (.queued, .erred): true
        case (.processing, .released), (.processing, .memory), (.processing, .erred): true
        case (.noWorker, .released), (.noWorker, .processing), (.noWorker, .erred): true
        case (.memory, .released), (.memory, .forgotten): true
        case (.erred, .released): true
        default: false
        }
    }

    /// Waiting, queued, no-worker or processing: the task still needs its dependencies.
    var needsDependencies: Bool {
        switch self {
        case .waiting, .queued, .noWorker, .processing: true
        default: false
        }
    }

    /// Whether a task in this state is still to be given a worker (released or waiting).
    var awaitsPlacement: Bool { self == .released || self == .waiting }

    public var description: String {
        switch self {
        case .released: "released"
        case .waiting: "waiting"
        case .queued: "queued"
        case .noWorker: "no-worker"
        case .processing: "processing"
        case .memory: "memory"
        case .erred: "erred"
        case .forgotten: "forgotten"
        }
    }
}
