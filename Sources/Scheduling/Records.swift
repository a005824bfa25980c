/// What the scheduler knows of one task (dask's `TaskState`).
///
/// A million-task graph holds a million of these, so the fields go from the widest to the
/// narrowest (Swift lays them out in this order, and padding between them is memory per task),
/// and what most tasks never have (``TaskRarities``) is kept out of line. The key is kept by
/// the scheduler beside the record: only messages and reports read it.
struct TaskRecord {
    var dependencies: [TaskID] = []
    var dependents: [TaskID] = []
    var replicas: [WorkerID] = []
    var wantedBy = ClientSet()
    var priority: TaskPriority
    var run = RunID(0)
    /// The result's size once known (else the estimate, else -1).
    var outputSize: Int64
    private var rarities = OutOfLine<TaskRarities>()
    var group: Int32
    /// Dependencies not in memory, while waiting.
    var waitingOn: Int32 = 0
    /// Dependents that still need this task's result (waiting, queued, no-worker, processing).
    var activeDependents: Int32 = 0
    /// Dependents not forgotten.
    var liveDependents: Int32 = 0
    /// Its position in its worker's processing list.
    var processingSlot: Int32 = -1
    /// The worker it was dispatched to, while processing.
    @Compact var processingOn: WorkerID? = nil
    var state = SchedulerTaskState.released
    /// Its data was scattered by a client: it has no computation, so it is never run, and
    /// losing its last replica loses it for good.
    var scattered = false
    /// A steal of it was requested during its current run: it is not stealable again until it
    /// is dispatched anew (dask takes it out of the stealable set at the request, and only a
    /// new dispatch puts it back).
    var stealRequested = false
    /// It seceded from its worker's threads (dask's long-running): it no longer counts in
    /// the worker's occupancy or slots, and is not stolen.
    var longRunning = false
    /// While processing, it counts in its worker's tally of its group (its duration is the
    /// group's current estimate, as dask's occupancy counts tasks by prefix).
    var countedInGroup = false
    /// The transition recommended for it and not yet made (at most one; a newer one replaces
    /// it, keeping its place in the stack, as dask's recommendation dictionary does).
    var recommended: SchedulerTaskState?
    /// It holds the place of an id that has not reached the scheduler yet (counted as
    /// forgotten until it does).
    private(set) var isPlaceholder = false

    init(group: Int32, priority: TaskPriority, outputSize: Int64?, duration: Nanoseconds?) {
        self.group = group
        self.priority = priority
        self.outputSize = outputSize ?? -1
        if let duration { estimatedDuration = duration }
    }

    /// The record of an id given to a client whose submission has not arrived yet.
    static var placeholder: TaskRecord {
        var record = TaskRecord(
            group: 0, priority: TaskPriority(negatedUser: 0, generation: 0, sequence: 0),
            outputSize: nil, duration: nil)
        record.state = .forgotten
        record.isPlaceholder = true
        return record
    }

    var isWanted: Bool { !wantedBy.isEmpty }

    /// Something still needs its result: a client, or a dependent that has not run.
    var isNeeded: Bool { isWanted || activeDependents > 0 }

    var resources: [ResourceAmount] {
        get { rarities.ifSet?.resources ?? [] }
        set { rarities.edit(unless: newValue.isEmpty) { $0.resources = newValue } }
    }
    /// Name ids of the workers it may run on; empty for any.
    var restrictions: [Int32] {
        get { rarities.ifSet?.restrictions ?? [] }
        set { rarities.edit(unless: newValue.isEmpty) { $0.restrictions = newValue } }
    }
    var looseRestrictions: Bool {
        get { rarities.ifSet?.looseRestrictions ?? false }
        set { rarities.edit(unless: !newValue) { $0.looseRestrictions = newValue } }
    }
    var failure: TaskFailure? {
        get { rarities.ifSet?.failure }
        set { rarities.edit(unless: newValue == nil) { $0.failure = newValue } }
    }
    /// The duration its submitter declared, if it did.
    var estimatedDuration: Nanoseconds? {
        get { rarities.ifSet?.estimatedDuration }
        set { rarities.edit(unless: newValue == nil) { $0.estimatedDuration = newValue } }
    }
    var retriesLeft: Int32 {
        get { rarities.ifSet?.retriesLeft ?? 0 }
        set { rarities.edit(unless: newValue == 0) { $0.retriesLeft = newValue } }
    }
    /// Worker deaths it lived through while processing.
    var suspicious: Int32 {
        get { rarities.ifSet?.suspicious ?? 0 }
        set { rarities.edit(unless: newValue == 0) { $0.suspicious = newValue } }
    }
    /// Bumped each time a forgotten key is submitted again (a client tells news of an old
    /// incarnation by the number of its cancel request, which cancellation notices carry).
    var incarnation: UInt32 {
        get { rarities.ifSet?.incarnation ?? 0 }
        set { rarities.edit(unless: newValue == 0) { $0.incarnation = newValue } }
    }
}

/// What few tasks have: restrictions, resources, retries, a failure, a declared duration, a
/// history of worker deaths or of being forgotten and submitted again. A record keeps these in
/// one box, made when the first of them is set.
struct TaskRarities: DefaultValued {
    var resources: [ResourceAmount] = []
    var restrictions: [Int32] = []
    var failure: TaskFailure?
    @Compact var estimatedDuration: Nanoseconds? = nil
    var retriesLeft: Int32 = 0
    var suspicious: Int32 = 0
    var incarnation: UInt32 = 0
    var looseRestrictions = false
}

/// A processing task's cost on its worker.
struct ProcessingCost {
    /// What its dispatch added to the worker's fixed occupancy: the transfers of its inputs,
    /// and its duration when declared up front.
    var charge: Nanoseconds
    /// When its current run started, once the worker said so.
    @Compact var startedAt: Nanoseconds? = nil
}

/// An amount of an abstract resource, such as 1 `GPU`.
public struct ResourceAmount: Hashable, Sendable, CustomStringConvertible {
    public var name: String
    public var amount: Double
    /// The scheduler's index for the name (not part of equality).
    var id: Int

    public init(name: String, amount: Double) {
        self.init(name: name, amount: amount, id: -1)
    }

    init(name: String, amount: Double, id: Int) {
        self.name = name
        self.amount = amount
        self.id = id
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.name == rhs.name && lhs.amount == rhs.amount
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(amount)
    }

    public var description: String { "\(name)=\(amount)" }
}

/// What the scheduler knows of one worker (dask's `WorkerState`).
struct WorkerRecord {
    var name: String
    var nameID: Int32
    var threads: Int
    var memoryLimit: Int64?
    /// Supplied and used amounts, by resource id.
    var supplied: [Double]
    var used: [Double]
    var status = WorkerStatus.running
    /// Tasks assigned to it, in no meaningful but deterministic order (swap-removal).
    var processing: [TaskID] = []
    /// What each task in `processing` costs here, at the same position (kept here rather
    /// than in every task's record: only processing tasks have it).
    var processingCosts: [ProcessingCost] = []
    /// The fixed part of the time to finish everything assigned to it (transfers, declared
    /// durations), in 128 bits: charges of centuries each add up past Int64 and must come off
    /// again exactly (read through ``Scheduler/occupancy(of:)``, which saturates).
    var occupancy: Int128 = 0
    /// Processing tasks by group, for the part of its occupancy that follows what the
    /// scheduler learns (dask's `task_prefix_count`); a handful of entries, in no order.
    var groupCounts: [GroupCount] = []
    /// Tasks whose replicas it holds; may hold stale or repeated entries (checked against
    /// the task's replicas), compacted when it grows past twice `heldCount`.
    var holding: [TaskID] = []
    var heldCount = 0
    var heldBytes: Int64 = 0
    /// Processing tasks this worker takes before root-ish tasks queue.
    var slotCapacity: Int
    /// Processing tasks that seceded (dask's `long_running`).
    var longRunning = 0

    /// Processing tasks that take a slot: all but the long-running ones.
    var busySlots: Int { processing.count - longRunning }
    /// The queue slots it adds to the total while running: its capacity less what it processes.
    var openSlots: Int {
        Self.openSlots(
            capacity: slotCapacity, processing: processing.count, longRunning: longRunning)
    }

    /// Adds a processing task that costs `charge` here, and returns its position in
    /// `processing`. One call for what dispatching a task changes in the record, so the
    /// scheduler writes the record once.
    mutating func take(_ task: TaskID, charge: Nanoseconds) -> Int32 {
        processing.append(task)
        processingCosts.append(ProcessingCost(charge: charge))
        occupancy += Int128(charge)
        return Int32(processing.count - 1)
    }

    /// Takes the processing task at `slot` off, and its charge off the occupancy; the last
    /// task moves into its place, and is returned when it is another.
    mutating func giveUp(slot: Int) -> TaskID? {
        occupancy -= Int128(processingCosts[slot].charge)
        let last = processing.removeLast()
        let lastCost = processingCosts.removeLast()
        guard slot < processing.count else { return nil }
        processing[slot] = last
        processingCosts[slot] = lastCost
        return last
    }

    /// The open slots of a worker of `capacity` processing `processing` tasks, `longRunning`
    /// of which seceded (for a reader of the fields in place).
    static func openSlots(capacity: Int, processing: Int, longRunning: Int) -> Int {
        max(capacity - (processing - longRunning), 0)
    }

    func canSupply(_ resources: [ResourceAmount]) -> Bool {
        resources.allSatisfy { need in
            need.id < supplied.count && supplied[need.id] - used[need.id] >= need.amount
        }
    }

    func declares(_ resources: [ResourceAmount]) -> Bool {
        resources.allSatisfy { need in need.id < supplied.count && supplied[need.id] >= need.amount
        }
    }
}

/// A task group: tasks whose keys share a prefix (`load-1`, `load-2` → `load`).
struct GroupRecord {
    var name: String
    var taskCount = 0
    /// Groups its tasks depend on (distinct, itself included when its tasks depend on each
    /// other; stops growing past the root-ish limit).
    var dependencyGroups: [Int32] = []
    /// Exponentially weighted average of observed durations, once any finished.
    var averageDuration: Nanoseconds?
    /// Longest running time seen for a task still running, before any finished.
    var firstSeenRunning: Nanoseconds?
    /// Its tasks released or waiting: those still to be given a worker (counted only while
    /// queuing is off, for co-assignment).
    var unplaced = 0
    /// With queuing off, the worker its root-ish tasks go to next, and for how many more
    /// (dask's `last_worker` and `last_worker_tasks_left`).
    var lastWorker: WorkerID?
    var lastWorkerTasksLeft = 0
}

/// How many of a worker's processing tasks belong to a group.
struct GroupCount {
    var group: Int32
    var count: Int32
}

/// A steal request in flight.
struct StealRecord {
    var victim: WorkerID
    var thief: WorkerID
    var steal: StealID
}

/// Splits a key into its group name, as dask's `key_split`: `load-7` → `load`,
/// `inc-fd088cc0e92f61ee626cb107b7a56cd4` → `inc`, `x` → `x`. Trailing parts that are
/// indices (digits) or tokens (eight or more hex digits) are dropped.
package func groupName(ofKey key: String) -> String {
    let end = groupNameEnd(ofKey: key)
    return end == key.utf8.count ? key : String(decoding: key.utf8.prefix(end), as: UTF8.self)
}

/// Whether `key`'s group name is the group name whose UTF-8 bytes are `group`, found without
/// making the name: a million keys of one group go through here at submission. `group` must
/// be a group name (its own group name, as every name ``groupName(ofKey:)`` makes is).
package func key(_ key: String, isInGroupNamedByUTF8 group: UnsafeBufferPointer<UInt8>) -> Bool {
    // Read in place: a native or small string always has contiguous bytes, so the name is
    // made only for a string bridged from elsewhere.
    key.utf8.withContiguousStorageIfAvailable { key in bytes(key, extend: group) }
        ?? groupName(ofKey: key).utf8.elementsEqual(group)
}

/// Whether the key `key` is the bytes of `group` followed by index and token parts only:
/// then its group name is `group` when `group` is its own group name (the search from the
/// key's end, past those parts, stops where the group ends). One pass over the key's bytes.
private func bytes(_ key: UnsafeBufferPointer<UInt8>, extend group: UnsafeBufferPointer<UInt8>)
    -> Bool
{
    // A dash at the very start never splits a key.
    guard key.count >= group.count, !group.isEmpty || key.isEmpty else { return false }
    for position in group.indices where key[position] != group[position] { return false }
    guard key.count > group.count else { return true }
    guard key[group.count] == UInt8(ascii: "-") else { return false }
    var part = PartReading()
    for byte in UnsafeBufferPointer(rebasing: key[(group.count + 1)...]) {
        guard part.read(byte) else { return false }
    }
    return part.endsAnIndexOrToken
}

/// How many bytes of `key` its group name takes.
private func groupNameEnd(ofKey key: String) -> Int {
    var key = key
    return key.withUTF8(groupNameEnd)
}

/// Where a key's group name ends: before its trailing `-index` and `-token` parts. Byte by
/// byte from the end, with no slices or closures: every key of a graph is read here.
private func groupNameEnd(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
    var end = bytes.count
    var position = end
    while position > 1 {
        position -= 1
        guard bytes[position] == UInt8(ascii: "-") else { continue }
        guard isIndexOrToken(bytes, from: position + 1, to: end) else { break }
        end = position
    }
    return end
}

/// Whether `bytes[start..<end]` is an index (digits) or a token (eight or more hexadecimal
/// digits, either case).
private func isIndexOrToken(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int)
    -> Bool
{
    var part = PartReading()
    for position in start..<end {
        guard part.read(bytes[position]) else { return false }
    }
    return part.endsAnIndexOrToken
}

/// Reads a key's trailing parts byte by byte: each part after a dash must be an index
/// (digits) or a token (eight or more hexadecimal digits, either case).
private struct PartReading {
    /// Bytes of the part read so far.
    private var length = 0
    private var digitsOnly = true

    /// Takes the next byte; false when it cannot belong to an index or token part (a dash
    /// ending an empty or malformed part included).
    @inline(__always) mutating func read(_ byte: UInt8) -> Bool {
        if byte &- UInt8(ascii: "0") < 10 {
            length += 1
        } else if (byte | 0x20) &- UInt8(ascii: "a") < 6 {
            length += 1
            digitsOnly = false
        } else if byte == UInt8(ascii: "-") {
            guard endsAnIndexOrToken else { return false }
            (length, digitsOnly) = (0, true)
        } else {
            return false
        }
        return true
    }

    /// Whether the part read since the last dash is a whole index or token.
    var endsAnIndexOrToken: Bool { length > 0 && (digitsOnly || length >= 8) }
}
