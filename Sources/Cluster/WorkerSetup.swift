import Scheduling

/// A worker process to start, simulated or on threads: its threads, how fast it computes,
/// its memory and resources.
public struct WorkerSetup: Sendable, Hashable {
    public var name: String
    public var threads: Int
    /// A task's modelled duration is divided by this.
    public var speed: Double
    /// Bytes of data it may hold; `nil` for no limit.
    public var memory: Int64?
    /// What it does as its data nears `memory`: spill to disk, pause, then restart.
    public var memoryThresholds: MemoryThresholds
    /// Bytes a second it reads spilled data back from disk at.
    public var diskBandwidth: Int64
    public var resources: [String: Double]
    /// A process's warm-up: from its first order to execute, none of its threads starts
    /// anything for this long (a fresh dask worker imports the task's code first).
    public var firstTaskDelay: Nanoseconds
    /// How long after an execution ends the process hears of it, drawn for each execution:
    /// a dask worker's event loop takes the result from the thread before it reports it or
    /// starts the next task, so the thread's slot stays taken that long.
    public var handoff: DurationModel
    /// How long its event loop takes to start an execution, drawn for each: executions it
    /// starts at one time begin one after another, this far apart (a dask worker hands its
    /// ready tasks to its threads one by one), so of two alike tasks the first started ends
    /// first.
    public var startGap: DurationModel

    public init(
        name: String, threads: Int = 1, speed: Double = 1, memory: Int64? = nil,
        memoryThresholds: MemoryThresholds = MemoryThresholds(),
        diskBandwidth: Int64 = WorkerSetup.defaultDiskBandwidth, resources: [String: Double] = [:],
        firstTaskDelay: Nanoseconds = 0, handoff: DurationModel = .fixed(0),
        startGap: DurationModel = .fixed(0)
    ) {
        self.name = name
        self.threads = threads
        self.speed = speed
        self.memory = memory
        self.memoryThresholds = memoryThresholds
        self.diskBandwidth = diskBandwidth
        self.resources = resources
        self.firstTaskDelay = firstTaskDelay
        self.handoff = handoff
        self.startGap = startGap
    }

    /// 500 MB/s, a local SSD's sequential read.
    public static let defaultDiskBandwidth: Int64 = 500_000_000

    /// The time reading `bytes` from its disk takes.
    public func diskTime(_ bytes: Int64) -> Nanoseconds {
        bytes == 0
            ? 0
            : Nanoseconds(saturating: (Double(bytes) * 1e9 / Double(diskBandwidth)).rounded(.up))
    }

    /// The worker state machine of a process started from this setup.
    public func makeMachine(id: WorkerID) -> WorkerStateMachine {
        WorkerStateMachine(
            id: id, threads: threads, resources: resources, memoryLimit: memory,
            memoryThresholds: memoryThresholds)
    }
}

/// How data moves between workers.
public struct NetworkModel: Sendable, Hashable {
    /// Time before the first byte of a transfer arrives.
    public var latency: Nanoseconds
    /// Bytes per second of a worker's incoming link.
    public var bandwidth: Int64
    /// Whether transfers into one worker share its link (one after another) or each get the
    /// full bandwidth.
    public var contention: Bool
    /// What the first gather a worker process makes from a peer process adds: opening the
    /// connection, which dask's connection pool keeps for the gathers after it.
    public var connectLatency: Nanoseconds

    public init(
        latency: Nanoseconds = 0, bandwidth: Int64 = 100_000_000, contention: Bool = true,
        connectLatency: Nanoseconds = 0
    ) {
        self.latency = latency
        self.bandwidth = bandwidth
        self.contention = contention
        self.connectLatency = connectLatency
    }

    /// The time to move `bytes` over a free link.
    public func transferTime(_ bytes: Int64) -> Nanoseconds {
        latency.saturatingAdd(streamingTime(bytes))
    }

    /// The time `bytes` take to pass through a link at its bandwidth, latency aside: what data
    /// riding with a message adds to the message's own latency.
    public func streamingTime(_ bytes: Int64) -> Nanoseconds {
        Nanoseconds(saturating: (Double(bytes) * 1e9 / Double(bandwidth)).rounded(.up))
    }
}
