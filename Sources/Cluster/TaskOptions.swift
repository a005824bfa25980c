import Scheduling

/// How a task is submitted: dask's `submit` keywords, plus the work model a simulation uses.
public struct TaskOptions: Sendable {
    /// An explicit key; otherwise `<name>-<token of the arguments>` (pure) or a fresh one.
    public var key: String?
    /// Whether equal calls share a key (and so run once).
    public var pure = true
    /// Higher runs first among ready tasks.
    public var priority = 0
    /// Times a task that raised is run again.
    public var retries = 0
    /// Abstract resources it holds while it runs, such as `["GPU": 1]`.
    public var resources: [String: Double] = [:]
    /// Names of the workers it may run on (empty: any).
    public var workers: [String] = []
    /// Whether `workers` is only a preference.
    public var allowOtherWorkers = false
    /// Its running time and result size, in a simulation.
    public var model = WorkModel()
    /// The duration and result size the scheduler is told up front, for policies that plan
    /// with them (HEFT-like ones); they may differ from the model's. Without them the
    /// scheduler learns durations and sizes only as tasks finish, as dask's does.
    public var estimatedDuration: Nanoseconds?
    public var estimatedOutputSize: Int64?

    public init(
        key: String? = nil, pure: Bool = true, priority: Int = 0, retries: Int = 0,
        resources: [String: Double] = [:], workers: [String] = [],
        allowOtherWorkers: Bool = false, model: WorkModel = WorkModel(),
        estimatedDuration: Nanoseconds? = nil, estimatedOutputSize: Int64? = nil
    ) {
        self.estimatedDuration = estimatedDuration
        self.estimatedOutputSize = estimatedOutputSize
        self.key = key
        self.pure = pure
        self.priority = priority
        self.retries = retries
        self.resources = resources
        self.workers = workers
        self.allowOtherWorkers = allowOtherWorkers
        self.model = model
    }
}

/// A task's body with its arguments bound, as a backend runs it: the values of the task's
/// dependencies come in, in the order the scheduler lists them (the order they were
/// submitted in). It does not keep their keys: a backend holds a body per task for as long
/// as the task lives, and the scheduler knows the dependencies.
public struct TaskBody: Sendable {
    public let model: WorkModel
    let code: TaskCode

    /// Runs the body on the dependencies' values.
    public func callAsFunction(_ inputs: [any Sendable]) throws -> any Sendable {
        try code(inputs)
    }

    public init(
        model: WorkModel, run: @escaping @Sendable ([any Sendable]) throws -> any Sendable
    ) {
        self.init(model: model, code: .function(TaskFunction(run)))
    }

    init(model: WorkModel, code: TaskCode) {
        self.model = model
        self.code = code
    }
}

/// A task of a graph given as data: its key, the keys of the tasks it takes results from, and
/// its options.
public struct KeyedTask: Sendable {
    public var key: String
    public var dependencies: [String]
    public var options: TaskOptions

    public init(key: String, dependencies: [String], options: TaskOptions) {
        self.key = key
        self.dependencies = dependencies
        self.options = options
    }
}
