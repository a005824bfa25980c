/// The bars of a Gantt chart: which execution ran on which thread of which worker, when, and
/// how it ended; plus transfers, faults and client actions.
public struct Gantt: Sendable, Equatable {
    /// How an execution ended, which is how its bar is coloured.
    public enum Outcome: String, Sendable, CaseIterable {
        case finished, erred, retried, cancelled, lost
    }

    public struct Bar: Sendable, Equatable {
        public var task: String
        public var worker: String
        public var thread: Int
        public var start: Int64
        public var end: Int64
        public var outcome: Outcome
        /// 1 for the task's first execution.
        public var attempt: Int
        /// Whether an injected fault (`fail`, `fail_probability`) made this execution raise.
        public var injected = false
    }

    public struct Transfer: Sendable, Equatable {
        public var task: String
        public var worker: String
        public var start: Int64
        public var end: Int64
        public var ok: Bool
    }

    public struct Mark: Sendable, Equatable {
        public var time: Int64
        public var label: String
        /// For a fault with a window (slow, partition, delay), its length.
        public var length: Int64
    }

    public var lanes: [(worker: String, threads: Int)]
    public var bars: [Bar]
    public var transfers: [Transfer]
    public var faults: [Mark]
    public var clientActions: [Mark]
    public var end: Int64

    public static func == (lhs: Gantt, rhs: Gantt) -> Bool {
        lhs.lanes.map(\.worker) == rhs.lanes.map(\.worker)
            && lhs.lanes.map(\.threads) == rhs.lanes.map(\.threads) && lhs.bars == rhs.bars
            && lhs.transfers == rhs.transfers && lhs.faults == rhs.faults
            && lhs.clientActions == rhs.clientActions && lhs.end == rhs.end
    }

    /// Lays a run's executions out on threads: each takes the lowest thread free when it
    /// starts (a worker never runs more executions than it has threads).
    public init(_ record: RunRecord) {
        lanes = record.header.workers.map { ($0.name, $0.threads) }
        bars = []
        transfers = []
        faults = []
        clientActions = []
        var end: Int64 = 0
        // Per worker: the task on each thread and when it started.
        var threads: [String: [(task: String, start: Int64)?]] = [:]
        for worker in record.header.workers {
            threads[worker.name] = Array(repeating: nil, count: worker.threads)
        }
        var attempts: [String: Int] = [:]
        var cancelled = Set<String>()
        // Executions (worker/task) an injected fault will make raise; looked up only.
        var injected = Set<String>()
        var fetches: [String: Int64] = [:]
        for event in record.events {
            end = max(end, event.time)
            switch event.kind {
            case "execute":
                guard let task = event.task, let worker = event.worker else { continue }
                attempts[task, default: 0] += 1
                var slots = threads[worker] ?? []
                let thread = slots.firstIndex { $0 == nil } ?? slots.count
                if thread == slots.count { slots.append(nil) }
                slots[thread] = (task, event.time)
                threads[worker] = slots
                cancelled.remove("\(worker)/\(task)")
                injected.remove("\(worker)/\(task)")
            case "executed":
                guard let task = event.task, let worker = event.worker,
                    let thread = threads[worker]?.firstIndex(where: { $0?.task == task }),
                    let running = threads[worker]?[thread]
                else { continue }
                threads[worker]![thread] = nil
                let outcome: Outcome =
                    event.from == "ok"
                    ? (cancelled.contains("\(worker)/\(task)") ? .cancelled : .finished) : .erred
                bars.append(
                    Bar(
                        task: task, worker: worker, thread: thread, start: running.start,
                        end: event.time, outcome: outcome, attempt: attempts[task] ?? 1,
                        injected: injected.remove("\(worker)/\(task)") != nil))
            case "worker" where event.to == "cancelled":
                if let task = event.task, let worker = event.worker {
                    cancelled.insert("\(worker)/\(task)")
                }
            case "worker" where event.to == "executing" && event.from == "cancelled":
                if let task = event.task, let worker = event.worker {
                    cancelled.remove("\(worker)/\(task)")
                }
            case "fetch":
                if let task = event.task, let worker = event.worker {
                    fetches["\(worker)/\(task)"] = event.time
                }
            case "fetched":
                guard let task = event.task, let worker = event.worker,
                    let start = fetches.removeValue(forKey: "\(worker)/\(task)")
                else { continue }
                transfers.append(
                    Transfer(
                        task: task, worker: worker, start: start, end: event.time,
                        ok: event.from == "ok"))
            case "fault" where event.from == "fail":
                // A task's injected failure belongs to its execution, not to the worker.
                if let task = event.task, let worker = event.worker {
                    injected.insert("\(worker)/\(task)")
                }
            case "fault":
                let what = event.from ?? "fault"
                faults.append(
                    Mark(
                        time: event.time,
                        label: [what, event.worker].compactMap { $0 }.joined(separator: " "),
                        length: event.detail))
                if what == "kill", let worker = event.worker {
                    // Executions on a dead worker end with it.
                    for (thread, running) in (threads[worker] ?? []).enumerated() {
                        guard let running else { continue }
                        bars.append(
                            Bar(
                                task: running.task, worker: worker, thread: thread,
                                start: running.start,
                                end: event.time, outcome: .lost,
                                attempt: attempts[running.task] ?? 1))
                    }
                    threads[worker] = threads[worker].map { Array(repeating: nil, count: $0.count) }
                }
            case "client-sent":
                clientActions.append(
                    Mark(time: event.time, label: event.message ?? "message", length: 0))
            default:
                break
            }
        }
        // Executions still running when the run ended (a hang) end with it.
        for worker in record.header.workers {
            for (thread, running) in (threads[worker.name] ?? []).enumerated() {
                guard let running else { continue }
                bars.append(
                    Bar(
                        task: running.task, worker: worker.name, thread: thread,
                        start: running.start,
                        end: end, outcome: .lost, attempt: attempts[running.task] ?? 1))
            }
        }
        // A failure followed by another attempt was retried.
        var lastAttempt: [String: Int] = [:]
        for bar in bars { lastAttempt[bar.task] = max(lastAttempt[bar.task] ?? 0, bar.attempt) }
        for index in bars.indices
        where bars[index].outcome == .erred && bars[index].attempt < lastAttempt[bars[index].task]!
        {
            bars[index].outcome = .retried
        }
        self.end = end
        // Lanes for workers that ran more executions at once than announced cannot happen;
        // widen the lane count if a record says otherwise, so no bar is lost.
        var used: [String: Int] = [:]
        for bar in bars { used[bar.worker] = max(used[bar.worker] ?? 0, bar.thread + 1) }
        for index in lanes.indices where (used[lanes[index].worker] ?? 0) > lanes[index].threads {
            lanes[index].threads = used[lanes[index].worker]!
        }
    }
}
