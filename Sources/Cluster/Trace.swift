import Scheduling

/// What a trace record is about.
public enum TraceKind: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// The client sent a message (`from`: its ``MessageKind``).
    case clientSent
    /// A message reached its destination (`from`: its kind; `to`: its ``Delivery``; `worker`:
    /// the worker, or the client, at the other end from the scheduler; `task`: the first task
    /// it names, each further one in a ``namedTask`` record after it; `state`: a steal
    /// response's answer; `detail`: its batch).
    case delivered
    /// A scheduler task state changed (`from`→`to`: ``SchedulerTaskState`` raw values).
    case schedulerTransition
    /// A worker task state changed (`from`→`to`: ``WorkerTaskState`` raw values).
    case workerTransition
    /// A scheduler note (`from`: ``Note`` code).
    case note
    /// An execution started (`detail`: run id).
    case executionStarted
    /// An execution ended (`from`: 1 success, 0 failure; `detail`: duration ns).
    case executionEnded
    /// A transfer started (`detail`: bytes; `to`: peer worker low byte).
    case transferStarted
    /// A transfer ended (`from`: 1 success, 0 failure; `detail`: bytes).
    case transferEnded
    /// A client future's status changed (`from`→`to`: ``FutureStatus`` codes).
    case futureStatus
    /// A fault was carried out (`from`: ``FaultCode``; `detail`: its parameter).
    case fault
    /// A worker joined (`detail`: threads).
    case workerJoined
    /// One more task the ``delivered`` record before it names.
    case namedTask
    /// A worker moved a result to disk (`detail`: bytes).
    case spilled
    /// A worker read a spilled result back for an execution (`detail`: bytes).
    case unspilled
    /// An execution seceded from its worker's threads (`detail`: how long it had run).
    case seceded

    /// The kinds `trace.jsonl` entries have: all but ``namedTask``, which folds into its message.
    public static var entryKinds: [TraceKind] { allCases.filter { $0 != .namedTask } }

    public var description: String {
        switch self {
        case .clientSent: "client-sent"
        case .delivered: "delivered"
        case .schedulerTransition: "scheduler"
        case .workerTransition: "worker"
        case .note: "note"
        case .executionStarted: "execute"
        case .executionEnded: "executed"
        case .transferStarted: "fetch"
        case .transferEnded: "fetched"
        case .futureStatus: "future"
        case .fault: "fault"
        case .workerJoined: "joined"
        case .namedTask: "named-task"
        case .seceded: "secede"
        case .spilled: "spill"
        case .unspilled: "unspill"
        }
    }
}

/// A fault's code in a trace record.
public enum FaultCode: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    case kill, slow, failTask, delayLink, partition, hold
    /// A worker's data passed its terminate threshold: its process is restarted.
    case memory

    public var description: String {
        switch self {
        case .kill: "kill"
        case .slow: "slow"
        case .failTask: "fail"
        case .delayLink: "delay"
        case .partition: "partition"
        case .hold: "hold"
        case .memory: "memory"
        }
    }
}

/// Which way a delivered message went: the `to` of its ``TraceRecord``.
public enum Delivery: UInt8, Sendable, Hashable {
    /// From a worker (the record's `worker`) to the scheduler.
    case workerToScheduler
    /// From the scheduler to a worker (the record's `worker`).
    case schedulerToWorker
    /// From a client (the record's `worker` is its index) to the scheduler.
    case clientToScheduler
    /// The scheduler's own: its timer, or its finding that a worker is gone.
    case schedulerToItself
}

/// One event of a run, in a compact form: numbers only, rendered to text when asked.
public struct TraceRecord: Sendable, Hashable {
    public var time: Nanoseconds
    public var kind: TraceKind
    /// The task's index, or -1.
    public var task: Int32
    /// The worker's index, or -1.
    public var worker: Int32
    public var from: UInt8
    public var to: UInt8
    /// A steal response's answer: its ``WorkerTaskReport`` code plus one (0: none, or not a
    /// steal response).
    public var state: UInt8
    public var detail: Int64

    public init(
        time: Nanoseconds, kind: TraceKind, task: Int32 = -1, worker: Int32 = -1,
        from: UInt8 = 0, to: UInt8 = 0, state: UInt8 = 0, detail: Int64 = 0
    ) {
        self.time = time
        self.kind = kind
        self.task = task
        self.worker = worker
        self.from = from
        self.to = to
        self.state = state
        self.detail = detail
    }
}

/// A run's trace: every record folded into a stable hash as it comes, and kept when asked.
public struct Trace: Sendable {
    private var hasher = StableHasher()
    public private(set) var records: [TraceRecord] = []
    public private(set) var count = 0
    /// Whether records are kept (the hash is always kept).
    public let keepsRecords: Bool

    /// A trace; `expectedRecords` sizes its storage up front when records are kept.
    public init(keepsRecords: Bool = true, expectedRecords: Int = 0) {
        self.keepsRecords = keepsRecords
        if keepsRecords { records.reserveCapacity(expectedRecords) }
    }

    public mutating func append(_ record: TraceRecord) {
        count += 1
        hasher.combine(UInt64(bitPattern: record.time))
        hasher.combine(
            UInt64(record.kind.rawValue) | UInt64(record.from) << 8 | UInt64(record.to) << 16
                | UInt64(UInt32(bitPattern: record.task)) << 24 | UInt64(record.state) << 56)
        hasher.combine(UInt64(UInt32(bitPattern: record.worker)))
        hasher.combine(UInt64(bitPattern: record.detail))
        if keepsRecords { records.append(record) }
    }

    /// The stable hash of everything recorded, as 16 hexadecimal digits.
    public var hash: String {
        let digits = String(hasher.value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

extension WorkerTaskReport {
    /// A steal response's answers as traces name them: `unknown` (the victim did not know the
    /// task), then each state, in the order of their codes (``TraceRecord/state`` minus one).
    public static var answerNames: [String] { ["unknown"] + allCases.map(\.rawValue) }
}
