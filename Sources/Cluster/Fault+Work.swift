import Scheduling

/// What faults do to executions, the same on either backend.
extension [Fault] {
    /// The speed of the worker named `name` for an execution starting at `time`: its own
    /// speed divided by the factor of every slow-down window open then.
    public func speed(of name: String, base: Double, at time: Nanoseconds) -> Double {
        var speed = base
        for case .slow(let worker, let factor, let start, let end) in self
        where worker == name && start <= time && time < end {
            speed /= factor
        }
        return speed
    }

    /// The failure injected into this execution of `key` (attempt 1 is the first run), if
    /// any; `draw` gives a uniform number in [0, 1) from the fault stream, asked only for
    /// random failures.
    public func injectedFailure(key: String, attempt: Int, draw: () -> Double) -> TaskFailure? {
        for fault in self {
            switch fault {
            case .failTask(let target, let attempts, let error)
            where target == key && attempts.contains(attempt):
                return TaskFailure(
                    kind: error, message: "injected failure of \(key), attempt \(attempt)")
            case .failRandomly(let probability, let error) where draw() < probability:
                return TaskFailure(kind: error, message: "injected random failure of \(key)")
            default:
                continue
            }
        }
        return nil
    }

    /// Whether any fault makes executions fail.
    public var failsTasks: Bool {
        contains {
            switch $0 {
            case .failTask, .failRandomly: true
            default: false
            }
        }
    }
}

extension SeededGenerator {
    /// A fresh key suffix for an impure task: 32 hexadecimal digits.
    public mutating func keyToken() -> String {
        let first = next()
        return appendingHex(first, next(), to: "")
    }
}

extension Scheduler {
    /// Tasks someone wants that are not finished, each as `key (state)`: at quiescence, the
    /// stuck ones. One processing on a paused worker says so, with what the scheduler knows
    /// it holds (`on paused worker a, holding 90MB of 100MB`): that worker waits for its data
    /// to be released.
    /// Tasks a client's future still waits for while the scheduler is done with them (no
    /// report will settle the future): with ``unfinishedTasks``, what a quiet cluster left
    /// hanging.
    public func unsettledFutures(of clients: [any ClientReceiver]) -> [String] {
        var unsettled: [String] = []
        for client in clients {
            for task in client.unsettledTasks {
                guard task.int < taskCount else {
                    unsettled.append("task \(task.index) (never reached the scheduler)")
                    continue
                }
                let state = state(of: task)
                guard ![.waiting, .queued, .noWorker, .processing].contains(state) else { continue }
                unsettled.append(
                    "\(key(of: task)) (\(state) on the scheduler, not done on the client)")
            }
        }
        return unsettled
    }

    public var unfinishedTasks: [String] {
        var unfinished: [String] = []
        for index in 0..<taskCount {
            let task = TaskID(index)
            let state = state(of: task)
            guard [.waiting, .queued, .noWorker, .processing].contains(state) else { continue }
            var place = ""
            if let worker = processingWorker(of: task), status(of: worker) == .paused {
                place = " on paused worker \(name(of: worker))"
                if let limit = memoryLimit(of: worker) {
                    place += ", holding \(sizeText(heldBytes(on: worker))) of \(sizeText(limit))"
                }
            }
            unfinished.append("\(key(of: task)) (\(state)\(place))")
        }
        return unfinished
    }
}

/// `bytes` in the largest decimal unit it rounds to one of, to a tenth: `90MB`, `1.5GB`,
/// `512B`.
func sizeText(_ bytes: Int64) -> String {
    let units: [(String, Int64)] = [("GB", 1_000_000_000), ("MB", 1_000_000), ("KB", 1_000)]
    // 0.95 of a unit rounds to one.
    guard let (unit, scale) = units.first(where: { bytes * 20 >= $0.1 * 19 }) else {
        return "\(bytes)B"
    }
    let tenths = (bytes * 10 + scale / 2) / scale
    return tenths % 10 == 0 ? "\(tenths / 10)\(unit)" : "\(tenths / 10).\(tenths % 10)\(unit)"
}

/// Stands in for an input that was not in the worker's memory (a bug the invariants report).
public struct MissingInput: Sendable {
    public var key: String

    public init(key: String) { self.key = key }
}
