import Scheduling

/// What a quiet cluster left unfinished, in words: the hang a run reports.
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
