@_spi(Locking) import Futures
import Scheduling

/// What ``Client/gather(_:errors:timeout:)`` does with a future that erred or was cancelled.
public enum GatherErrors: Sendable {
    /// Throw its error (``CancelledError`` for a cancellation).
    case raise
    /// Leave it out of the results.
    case skip
}

/// A dask-style client: submit work to a cluster and get futures back.
///
/// The same program runs on a simulated cluster (where waiting advances virtual time) and on
/// real threads; only the ``ClusterBackend`` differs. Every method is safe to call from any
/// thread.
public final class Client: ClientReceiver, @unchecked Sendable {
    public let backend: any ClusterBackend
    public private(set) var id = ClientID(0)

    private struct State {
        /// Each task's shared state on this client, by task id (`nil`: it holds no future of
        /// the task).
        var byTask: [KeyEntry?] = []
        var requests: UInt64 = 0
        var closed = false

        /// The state of a task, if this client holds one.
        func state(of task: TaskID) -> KeyEntry? {
            task.int < byTask.count ? byTask[task.int] : nil
        }

        /// The tasks whose futures this client holds, in key order.
        func heldTasks(keys: SharedTaskKeys) -> [TaskID] {
            let held = byTask.indices.filter { byTask[$0] != nil }.map(TaskID.init)
            let names = keys.keys(of: held)
            return held.indices.sorted { names[$0] < names[$1] }.map { held[$0] }
        }
    }

    private let state = Locked(State())

    public init(_ backend: any ClusterBackend) {
        self.backend = backend
        id = backend.connect(self)
    }

    // MARK: Submitting

    /// Submits `body` applied to the arguments (values, or futures whose results are passed
    /// in and whose tasks become dependencies); up to four arguments.
    ///
    /// The key is `options.key`, else `<name>-<token of the arguments>` for a pure task (an
    /// existing key is not submitted again), else `<name>-<fresh token>`.
    public func submit<R: Sendable>(
        _ name: String, options: TaskOptions = TaskOptions(),
        _ body: @escaping @Sendable () throws -> R
    ) -> ClientFuture<R> {
        submit(name, [], options) { _ in try body() }
    }

    public func submit<A: TaskInput, R: Sendable>(
        _ name: String, _ a: A, options: TaskOptions = TaskOptions(),
        _ body: @escaping @Sendable (A.Value) throws -> R
    ) -> ClientFuture<R> {
        submit(name, [a.taskArgument], options) { try body($0[0] as! A.Value) }
    }

    public func submit<A: TaskInput, B: TaskInput, R: Sendable>(
        _ name: String, _ a: A, _ b: B, options: TaskOptions = TaskOptions(),
        _ body: @escaping @Sendable (A.Value, B.Value) throws -> R
    ) -> ClientFuture<R> {
        submit(name, [a.taskArgument, b.taskArgument], options) {
            try body($0[0] as! A.Value, $0[1] as! B.Value)
        }
    }

    public func submit<A: TaskInput, B: TaskInput, C: TaskInput, R: Sendable>(
        _ name: String, _ a: A, _ b: B, _ c: C, options: TaskOptions = TaskOptions(),
        _ body: @escaping @Sendable (A.Value, B.Value, C.Value) throws -> R
    ) -> ClientFuture<R> {
        submit(name, [a.taskArgument, b.taskArgument, c.taskArgument], options) {
            try body($0[0] as! A.Value, $0[1] as! B.Value, $0[2] as! C.Value)
        }
    }

    public func submit<A: TaskInput, B: TaskInput, C: TaskInput, D: TaskInput, R: Sendable>(
        _ name: String, _ a: A, _ b: B, _ c: C, _ d: D, options: TaskOptions = TaskOptions(),
        _ body: @escaping @Sendable (A.Value, B.Value, C.Value, D.Value) throws -> R
    ) -> ClientFuture<R> {
        submit(name, [a.taskArgument, b.taskArgument, c.taskArgument, d.taskArgument], options) {
            try body($0[0] as! A.Value, $0[1] as! B.Value, $0[2] as! C.Value, $0[3] as! D.Value)
        }
    }

    /// The one path every arity takes: `run` gets the arguments' values in order.
    private func submit<R: Sendable>(
        _ name: String, _ arguments: [TaskArgument], _ options: TaskOptions,
        _ run: @escaping @Sendable ([any Sendable]) throws -> R
    ) -> ClientFuture<R> {
        submitAll(
            CollectionOfOne(
                Submission(
                    name: name, arguments: arguments, options: options, run: TaskFunction(run))
            ))[0]
    }

    /// Submits a graph given as data (a scenario file, an imported workflow): each task under
    /// its own key, over the results of the tasks its `dependencies` name, in one graph update.
    /// `body` gets the dependencies' values in order.
    public func submit<R: Sendable>(
        graph tasks: [KeyedTask], _ body: @escaping @Sendable ([any Sendable]) throws -> R
    ) -> [ClientFuture<R>] {
        let run = TaskFunction(body)
        return submitAll(
            tasks.lazy.map { task in
                var options = task.options
                options.key = task.key
                return Submission(
                    name: task.key, arguments: task.dependencies.map(TaskArgument.result(ofKey:)),
                    options: options, run: run)
            })
    }

    /// Submits `body` once per item, in one graph update; earlier items run first among equals.
    public func map<T: TaskInput, R: Sendable>(
        _ name: String, _ items: [T], options: TaskOptions = TaskOptions(),
        _ body: @escaping @Sendable (T.Value) throws -> R
    ) -> [ClientFuture<R>] {
        let run = TaskFunction { values in try body(values[0] as! T.Value) }
        // The tasks of plain values share the items and the body: each is its position.
        let mapped = MappedValues { index in
            guard case .value(let value) = items[index].taskArgument.source else {
                preconditionFailure("a mapped task of a future runs on its input")
            }
            return try body(unbox(value, as: T.Value.self)!)
        }
        // Made as they are read, not kept: a million submissions would be 200 MB at once.
        return submitAll(
            items.indices.lazy.map { index in
                Submission(
                    name: name, arguments: [items[index].taskArgument], options: options,
                    run: run, item: (index, mapped))
            })
    }

    struct Submission {
        var name: String
        var arguments: [TaskArgument]
        var options: TaskOptions
        /// The call's function, shared by its tasks.
        var run: TaskFunction
        /// For a `map`: the task's position among the map's items, and what the items share.
        var item: (index: Int, of: MappedValues)? = nil
    }

    private func submitAll<R: Sendable>(_ submissions: some Collection<Submission>)
        -> [ClientFuture<R>]
    {
        // One pass over the submissions, since a lazily made one is made again on every pass:
        // each task's spec and body as if it were new, its ids filled in once its keys are
        // interned; those of a task not new are dropped then.
        var keys: [TaskKey] = []
        var dependencyKeys: [[TaskKey]] = []
        var specs: [TaskSpec] = []
        var bodies = BodyBatch()
        keys.reserveCapacity(submissions.count)
        dependencyKeys.reserveCapacity(submissions.count)
        specs.reserveCapacity(submissions.count)
        bodies.reserveCapacity(submissions.count)
        for submission in submissions {
            let key = key(for: submission)
            let dependencies = Self.dependencies(of: submission)
            keys.append(key)
            // The options read in place: a copy of them retains and releases each of their
            // lists, for every task.
            specs.append(
                TaskSpec(
                    id: TaskID(0), key: key, dependencies: [],
                    priority: submission.options.priority, retries: submission.options.retries,
                    resources: submission.options.resources, workers: submission.options.workers,
                    allowOtherWorkers: submission.options.allowOtherWorkers,
                    estimatedDuration: submission.options.estimatedDuration,
                    estimatedOutputSize: submission.options.estimatedOutputSize))
            bodies.append(Self.body(for: submission, dependencies: dependencies))
            dependencyKeys.append(dependencies)
        }
        // The one time these keys are hashed: ids from here on.
        let (ids, dependencyIDs) = backend.taskKeys.intern(keys, then: dependencyKeys)
        let shared: [(Future<R>, isNew: Bool)] = sharedFutures(for: ids)
        var futures: [ClientFuture<R>] = []
        futures.reserveCapacity(ids.count)
        for index in ids.indices {
            futures.append(ClientFuture(task: ids[index], future: shared[index].0, client: self))
            specs[index].id = ids[index]
            specs[index].dependencies = dependencyIDs[index]
        }
        // The new tasks are wanted: all of them, the ids as interned, unless some were not new.
        var wanted = ids
        if shared.contains(where: { !$0.isNew }) {
            specs = zip(specs, shared).filter(\.1.isNew).map(\.0)
            bodies = bodies.keeping { shared[$0].isNew }
            wanted = specs.map(\.id)
        }
        if !specs.isEmpty {
            backend.send(
                .updateGraph(client: id, tasks: specs, wanted: wanted), bodies: bodies, from: id)
        }
        return futures
    }

    /// Each task's shared future, made if new (one lock for the whole batch); a task given
    /// twice is new the first time only.
    func sharedFutures<R: Sendable>(for tasks: [TaskID]) -> [(Future<R>, isNew: Bool)] {
        let strategy = backend.waitStrategy
        let highest = tasks.max()?.int ?? -1
        return state.withLock { state in
            if highest >= state.byTask.count {
                // Appending grows the storage geometrically, so one submission at a time
                // does not copy the table each time.
                state.byTask.append(
                    contentsOf: repeatElement(nil, count: highest + 1 - state.byTask.count))
            }
            return tasks.map { task in
                if let existing = state.byTask[task.int]?.future as? Future<R> {
                    state.byTask[task.int]!.references += 1
                    return (existing, false)
                }
                state.requests += 1
                let future = Promise<R>(waitStrategy: strategy).future
                state.byTask[task.int] = KeyEntry(
                    future: future, createdAt: state.requests, references: 1)
                return (future, true)
            }
        }
    }

    /// The keys of the futures among the submission's arguments, each once, in order.
    private static func dependencies(of submission: Submission) -> [TaskKey] {
        var dependencies: [TaskKey] = []
        // A set only for many arguments (a wide fan-in from a graph given as data): a few are
        // compared faster than hashed.
        var seen = Set<TaskKey>()
        let many = submission.arguments.count > 16
        for (position, argument) in submission.arguments.enumerated() {
            guard let dependency = argument.dependency else { continue }
            // Room for the rest at the first: a key is wide, and a list grown by appending held
            // one, then moved to a larger one for a task's second input.
            if dependencies.isEmpty {
                dependencies.reserveCapacity(submission.arguments.count - position)
            }
            let new = many ? seen.insert(dependency).inserted : !dependencies.contains(dependency)
            if new { dependencies.append(dependency) }
        }
        return dependencies
    }

    private func key(for submission: Submission) -> TaskKey {
        if let key = submission.options.key { return TaskKey(key) }
        guard submission.options.pure else {
            return TaskKey("\(submission.name)-\(backend.freshToken())")
        }
        var hasher = StableHasher()
        hasher.combine(submission.name)
        for argument in submission.arguments { argument.contributeToKey(&hasher) }
        return hasher.key(named: submission.name)
    }

    /// The body with its plain arguments bound: it takes the dependencies' values only.
    private static func body(for submission: Submission, dependencies: [TaskKey]) -> TaskBody {
        let run = submission.run
        let model = submission.options.model
        // Arguments that are the inputs in order (a graph given as data) are passed as they are.
        if submission.arguments.count == dependencies.count,
            zip(submission.arguments, dependencies).allSatisfy({ $0.dependency == $1 })
        {
            return TaskBody(model: model, code: .function(run))
        }
        // One plain value of a map: its position among the map's items.
        if dependencies.isEmpty, let item = submission.item {
            precondition(item.index <= UInt32.max, "a map of more than 2^32 items")
            return TaskBody(model: model, code: .item(item.of, UInt32(item.index)))
        }
        // One plain value otherwise: the body keeps just the value.
        if dependencies.isEmpty, submission.arguments.count == 1,
            case .value(let value) = submission.arguments[0].source
        {
            return TaskBody(model: model, code: .value(BoundValue(run, value)))
        }
        let plan: [BoundPlan.Argument] = submission.arguments.map { argument in
            switch argument.source {
            case .value(let value): .value(value)
            case .result(let key): .input(dependencies.firstIndex(of: key)!)
            }
        }
        return TaskBody(model: model, code: .plan(BoundPlan(run, plan)))
    }

    // MARK: News from the scheduler

    public func receive(task: TaskID, news: ClientReport, value: (any Sendable)?) {
        let future: (any KeyFuture)? = state.withLock { state in
            guard let entry = state.state(of: task) else { return nil }
            if case .cancelled(_, let request) = news {
                // A notice caused by a cancel request older than this state is not about it.
                if request != 0, entry.createdAt > request { return nil }
                state.byTask[task.int] = nil
            }
            return entry.future
        }
        future?.apply(news, value: value, backend: backend)
    }

    public var unsettledTasks: [TaskID] {
        state.withLock { state in
            state.byTask.indices.compactMap { index in
                guard let entry = state.byTask[index], !entry.future.isDone else { return nil }
                return TaskID(index)
            }
        }
    }

    // MARK: Cancelling and releasing

    /// Cancels the keys' futures here (plain: only those not started) and on the cluster;
    /// returns whether the first key's future is now cancelled.
    @discardableResult
    public func cancel(_ keys: [String], force: Bool = false) -> Bool {
        cancel(tasks: backend.taskKeys.ids(of: keys), force: force)
    }

    /// Cancels the tasks' futures (`nil`: a key the cluster does not know); whether the first
    /// is now cancelled.
    private func cancel(tasks: [TaskID?], force: Bool) -> Bool {
        let (request, futures) = state.withLock { state in
            state.requests += 1
            return (state.requests, tasks.map { $0.flatMap { state.state(of: $0)?.future } })
        }
        var cancelled: [TaskID] = []
        for (task, future) in zip(tasks, futures) {
            guard let task, let future, future.cancelHere(force: force) else { continue }
            cancelled.append(task)
        }
        state.withLock { state in
            for task in cancelled { state.byTask[task.int] = nil }
        }
        if !cancelled.isEmpty {
            backend.send(
                .cancel(client: id, tasks: cancelled, force: force, request: request),
                bodies: [], from: id)
        }
        return !cancelled.isEmpty && cancelled.first == tasks.first
    }

    /// Cancels every future this client holds (plain: only those not started), in key order.
    public func cancelAll(force: Bool = false) {
        let held = state.withLock { $0.heldTasks(keys: backend.taskKeys) }
        _ = cancel(tasks: held, force: force)
    }

    /// Cancels, here only, every future still unfinished: the cluster behind them stopped.
    public func abandonAll() {
        let futures = state.withLock { state in
            defer { state.byTask = [] }
            // In key order, as a program that cancels them one by one would.
            return state.heldTasks(keys: backend.taskKeys).map { state.byTask[$0.int]!.future }
        }
        for future in futures { _ = future.cancelHere(force: true) }
    }

    /// Cancels these futures; see ``cancel(_:force:)-(_,_)``.
    @discardableResult
    public func cancel<R>(_ futures: [ClientFuture<R>], force: Bool = false) -> Bool {
        cancel(tasks: futures.map(\.task), force: force)
    }

    /// Stops talking to the cluster: futures dropped from now on release nothing (the
    /// cluster is done with, or gone); futures already done keep their results.
    public func close() {
        state.withLock { $0.closed = true }
    }

    /// The last future of a task was dropped: the client no longer wants it.
    func dropReference(to task: TaskID, future: AnyObject) {
        let released = state.withLock { state -> Bool in
            // A key cancelled (or abandoned) since has no entry, or a new one, to count in.
            guard let entry = state.state(of: task), entry.future === future else { return false }
            state.byTask[task.int]!.references -= 1
            guard !state.closed, entry.references == 1 else { return false }
            state.byTask[task.int] = nil
            return true
        }
        if released {
            backend.release(task, from: id)
        }
    }

    // MARK: Gathering

    /// The futures' values in order, waiting (on the cluster's clock) until all are done.
    ///
    /// - Throws: with `.raise`, the first erred or cancelled future's error in order;
    ///   ``TimeoutError`` if the timeout passes first.
    public func gather<R>(
        _ futures: [ClientFuture<R>], errors: GatherErrors = .raise, timeout: Duration? = nil
    ) throws -> [R] {
        let result = wait(
            futures, timeout: timeout,
            returnWhen: errors == .raise ? .firstException : .allCompleted)
        var values: [R] = []
        for future in futures {
            switch future.status {
            case .finished:
                values.append(try future.result())
            case .error, .cancelled:
                if errors == .raise { _ = try future.result() }
            default:
                if result.notDone.isEmpty { continue }
                throw TimeoutError(unfinished: result.notDone.count, total: futures.count)
            }
        }
        return values
    }

    /// The futures' values in order, awaited.
    public func gather<R>(_ futures: [ClientFuture<R>], errors: GatherErrors = .raise)
        async throws -> [R]
    {
        var values: [R] = []
        for future in futures {
            do {
                values.append(try await future.value)
            } catch  where errors == .skip && !(error is CancellationError) {
                continue
            }
        }
        return values
    }
}
