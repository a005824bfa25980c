/// A worker's task records by id.
///
/// A result the worker holds and nothing here needs but its data (in memory, no inputs, no
/// dependents, no peers listed, nothing under way) is kept as a ``HeldResult`` of 24 bytes
/// instead of its record (a 160-byte allocation): a worker holding the results of a
/// million-task `map` keeps a million of those. Looking such a task up gives its record back
/// and keeps it (the worker then changes it as before); ``peek(_:)`` reads one without that.
///
/// The worker lets results go to this form only while no incremental invariant check is on
/// (``WorkerStateMachine/changedInvariantViolations()`` wakes them all, since it follows
/// every record it has seen); a full check reads both forms.
struct WorkerTasks: Sequence {
    private var records = TaskMap<WorkerTask>()
    private var held = TaskMap<HeldResult>()
    private let changes: WorkerChangeLog

    /// What a held result keeps of its record, in 24 bytes: what the worker reads of a result
    /// in memory. The rest starts afresh when the record is made again: its priority and
    /// order, which a compute request sets before anything reads them, and the checker's
    /// marks, which only the incremental check (off while results are held) reads.
    struct HeldResult {
        var size: Int64
        @Compact var run: RunID?
        /// When it was last used (the worker's use count, at least 1 for a result in memory),
        /// negated when it was moved to disk.
        private var use: Int

        init(size: Int64, lastUse: Int, run: RunID?, isSpilled: Bool) {
            precondition(lastUse > 0, "a result in memory was used")
            self.size = size
            self.run = run
            use = isSpilled ? -lastUse : lastUse
        }

        var lastUse: Int { abs(use) }
        var isSpilled: Bool { use < 0 }
    }

    init(changes: WorkerChangeLog) { self.changes = changes }

    /// The task's record, if the worker knows the task (a held result's, made again and kept);
    /// setting `nil` forgets it. A write always follows the lookup that found the task's
    /// record or found none, so it never meets a held result.
    subscript(task: TaskID) -> WorkerTask? {
        mutating get {
            if let record = records[task] { return record }
            guard !held.isEmpty, let result = held[task] else { return nil }
            held[task] = nil
            let record = result.record(task, changes)
            records[task] = record
            return record
        }
        set {
            assert(held[task] == nil, "a held result written without being looked up")
            records[task] = newValue
        }
    }

    /// Takes the task's held result out, if it is one, without making its record: the task
    /// is then unknown here. For freeing a result nothing here needs.
    mutating func takeHeld(_ task: TaskID) -> HeldResult? {
        guard !held.isEmpty, let result = held[task] else { return nil }
        held[task] = nil
        return result
    }

    /// The task's record, or a copy of a held result's that is not kept.
    func peek(_ task: TaskID) -> WorkerTask? {
        if let record = records[task] { return record }
        return held[task].map { $0.record(task, changes) }
    }

    /// The task's state, read without making a held result's record.
    func state(of task: TaskID) -> WorkerTaskState? {
        records[task]?.state ?? (held[task] == nil ? nil : .memory)
    }

    /// The size the worker counts for the task (see ``WorkerTask/size``), read without
    /// making a held result's record.
    func size(of task: TaskID) -> Int64? { records[task]?.size ?? held[task]?.size }

    /// Whether the task's result was moved to disk, read the same way.
    func isSpilled(_ task: TaskID) -> Bool {
        records[task]?.isSpilled ?? held[task]?.isSpilled ?? false
    }

    /// Keeps the task's record as a held result if nothing here needs more of it than that.
    mutating func hold(_ task: TaskID) {
        guard let record = records[task], record.state == .memory, record.dependencies.isEmpty,
            record.dependents.isEmpty, record.holders.isEmpty, record.resources.isEmpty,
            !record.seceded, record.waitingFor == 0, record.fetchingFrom == nil,
            record.gather == 0, record.previous == nil, record.next == nil
        else { return }
        records[task] = nil
        held[task] = HeldResult(
            size: record.size, lastUse: record.lastUse, run: record.run,
            isSpilled: record.isSpilled)
    }

    /// Makes every held result's record again and keeps them.
    mutating func wakeAll() {
        for (task, result) in held { records[task] = result.record(task, changes) }
        held.removeAll()
    }

    /// How many results are held in the small form.
    var heldCount: Int { held.count }

    /// The tasks whose results are in memory here.
    var inMemory: [TaskID] {
        records.compactMap { task, record in record.state == .memory ? task : nil } + held.keys
    }

    /// The result in memory, not spilled, used longest ago. A scan: use counts are unique,
    /// so the tables' order does not matter.
    func leastRecentlyUsedInMemory() -> TaskID? {
        var oldest: (task: TaskID, lastUse: Int)?
        for (task, record) in records
        where record.state == .memory && !record.isSpilled
            && record.lastUse < (oldest?.lastUse ?? .max)
        {
            oldest = (task, record.lastUse)
        }
        for (task, result) in held
        where !result.isSpilled && result.lastUse < (oldest?.lastUse ?? .max) {
            oldest = (task, result.lastUse)
        }
        return oldest?.task
    }

    /// Every task with its record (a held result's made for the visit, not kept).
    func makeIterator() -> Iterator {
        Iterator(records: records.makeIterator(), held: held.makeIterator(), changes: changes)
    }

    struct Iterator: IteratorProtocol {
        var records: TaskMap<WorkerTask>.Iterator
        var held: TaskMap<HeldResult>.Iterator
        let changes: WorkerChangeLog

        mutating func next() -> (TaskID, WorkerTask)? {
            if let entry = records.next() { return entry }
            return held.next().map { task, result in (task, result.record(task, changes)) }
        }
    }
}

extension WorkerTasks.HeldResult {
    /// The record it stands for.
    func record(_ task: TaskID, _ changes: WorkerChangeLog) -> WorkerTask {
        let record = WorkerTask(id: task, changes: changes)
        record.state = .memory
        record.size = size
        record.lastUse = lastUse
        record.run = run
        record.isSpilled = isSpilled
        return record
    }
}
