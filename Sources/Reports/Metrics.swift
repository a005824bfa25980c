import Scenarios
import Scheduling

/// The figures a report shows, computed from a run's record alone, with the same
/// definitions for simulated and real runs.
public struct Metrics: Sendable, Equatable, Encodable {
    /// When the last execution ended, in nanoseconds from the start.
    public var makespan: Int64
    /// Busy thread-time over available thread-time, per worker (by name) and overall.
    public var utilisation: [String: Double]
    public var overallUtilisation: Double
    /// Submitted (the scheduler first saw the task) → first execution started, seconds.
    public var queueWait: Distribution
    /// Submitted → last successful execution ended, seconds.
    public var turnaround: Distribution
    public var transfers: Int
    public var transferredBytes: Int64
    public var retries: Int
    public var stealsTried: Int
    public var stealsWon: Int
    /// Steal answers by outcome besides won: refused by a busy victim, aborted (the task
    /// left processing first), stale (an older request's), rescheduled.
    public var stealsRefused: Int
    public var stealsAborted: Int
    public var stealsStale: Int
    public var stealsRescheduled: Int
    /// Cancelled futures, and executions or fetches a worker let go of.
    public var cancelledFutures: Int
    public var cancelledOnWorkers: Int
    /// Tasks by final status.
    public var finalStates: [String: Int]
    public var schedulerEvents: Int
    /// Simulated (or real) time over wall time.
    public var speedUp: Double

    /// summary.json's keys, snake_case like every JSON the command writes, with the unit
    /// where the name does not say it.
    enum CodingKeys: String, CodingKey {
        case makespan = "makespan_ns"
        case utilisation, transfers, retries
        case overallUtilisation = "overall_utilisation"
        case queueWait = "queue_wait_s"
        case turnaround = "turnaround_s"
        case transferredBytes = "transferred_bytes"
        case stealsTried = "steals_tried"
        case stealsWon = "steals_won"
        case stealsRefused = "steals_refused"
        case stealsAborted = "steals_aborted"
        case stealsStale = "steals_stale"
        case stealsRescheduled = "steals_rescheduled"
        case cancelledFutures = "cancelled_futures"
        case cancelledOnWorkers = "cancelled_on_workers"
        case finalStates = "final_states"
        case schedulerEvents = "scheduler_events"
        case speedUp = "speed_up"
    }

    /// Mean and percentiles of a set of durations, in seconds.
    public struct Distribution: Sendable, Equatable, Encodable {
        public var count: Int
        public var mean: Double
        public var p50: Double
        public var p95: Double
        public var p99: Double

        init(_ values: [Double]) {
            let sorted = values.sorted()
            count = sorted.count
            mean = sorted.isEmpty ? 0 : sorted.reduce(0, +) / Double(sorted.count)
            func percentile(_ p: Double) -> Double {
                guard !sorted.isEmpty else { return 0 }
                // Nearest rank.
                let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
                return sorted[min(max(rank, 1), sorted.count) - 1]
            }
            p50 = percentile(50)
            p95 = percentile(95)
            p99 = percentile(99)
        }
    }

    public init(_ record: RunRecord) {
        // The figures an expectation reads too come from the one tally both use.
        var tally = RunTally()
        var index: [String: Int] = [:]
        var submitted: [String: Int64] = [:]
        var firstStart: [String: Int64] = [:]
        var lastSuccess: [String: Int64] = [:]
        var startedAt: [String: [String: Int64]] = [:]
        var busy: [String: Int64] = [:]
        var joined: [String: Int64] = [:]
        var died: [String: Int64] = [:]
        stealsTried = 0
        cancelledOnWorkers = 0
        schedulerEvents = 0
        for event in record.events {
            switch event.kind {
            case "scheduler":
                if let task = event.task, submitted[task] == nil { submitted[task] = event.time }
            case "execute":
                guard let task = event.task, let worker = event.worker else { continue }
                let position = index[task] ?? index.count
                index[task] = position
                tally.record(.executionStarted(task: position))
                if firstStart[task] == nil { firstStart[task] = event.time }
                startedAt[worker, default: [:]][task] = event.time
            case "executed":
                guard let task = event.task, let worker = event.worker else { continue }
                tally.record(.executionEnded(time: event.time))
                if let start = startedAt[worker]?.removeValue(forKey: task) {
                    busy[worker, default: 0] += event.time - start
                }
                if event.from == "ok" { lastSuccess[task] = event.time }
            case "fetched" where event.from == "ok":
                tally.record(.transferred(bytes: event.detail))
            case "note":
                if let note = event.from.flatMap(Note.init(rawValue:)) {
                    tally.record(.stealAnswered(note))
                }
            case "delivered":
                if event.to == "scheduler" { schedulerEvents += 1 }
                if event.message == "stealRequest" { stealsTried += 1 }
            case "future" where event.from == "cancelled":
                tally.record(.futureCancelled)
            case "worker" where event.to == "cancelled":
                cancelledOnWorkers += 1
            case "joined":
                if let worker = event.worker { joined[worker] = event.time }
            case "fault" where event.from == "kill":
                if let worker = event.worker { died[worker] = event.time }
            default:
                break
            }
        }
        let makespan = tally.makespan
        transfers = tally.transfers
        transferredBytes = tally.transferredBytes
        stealsWon = tally.steals
        stealsRefused = tally.stealsRefused
        stealsAborted = tally.stealsAborted
        stealsStale = tally.stealsStale
        stealsRescheduled = tally.stealsRescheduled
        cancelledFutures = tally.cancellations
        retries = tally.retries
        // Executions cut short by their worker's death count until it died.
        for (worker, running) in startedAt {
            for start in running.values {
                busy[worker, default: 0] += max(0, (died[worker] ?? makespan) - start)
            }
        }
        self.makespan = makespan
        var utilisation: [String: Double] = [:]
        var totalBusy: Int64 = 0
        var totalCapacity: Int64 = 0
        for worker in record.header.workers {
            let lifetime = max(0, (died[worker.name] ?? makespan) - (joined[worker.name] ?? 0))
            let capacity = lifetime * Int64(worker.threads)
            let work = busy[worker.name] ?? 0
            utilisation[worker.name] = capacity > 0 ? Double(work) / Double(capacity) : 0
            totalBusy += work
            totalCapacity += capacity
        }
        self.utilisation = utilisation
        overallUtilisation = totalCapacity > 0 ? Double(totalBusy) / Double(totalCapacity) : 0
        queueWait = Distribution(
            firstStart.compactMap { task, start in submitted[task].map { Double(start - $0) / 1e9 }
            })
        turnaround = Distribution(
            lastSuccess.compactMap { task, end in submitted[task].map { Double(end - $0) / 1e9 } })
        var states: [String: Int] = [:]
        for status in record.header.finalStates.values { states[status, default: 0] += 1 }
        finalStates = states
        speedUp =
            record.header.wallSeconds > 0 ? Double(makespan) / 1e9 / record.header.wallSeconds : 0
    }
}
