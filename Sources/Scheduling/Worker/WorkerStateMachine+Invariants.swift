/// Consistency checks, run after every event in tests.
extension WorkerStateMachine {
    /// Every broken invariant, described and sorted; empty when the worker is consistent.
    public func invariantViolations() -> [String] {
        var problems: [String] = []
        if executing.count > threads {
            problems.append("\(executing.count) executions on \(threads) threads")
        }
        if executing.hasRepeats { problems.append("an execution listed twice") }
        if flight.hasRepeats { problems.append("a fetch listed twice") }
        for (name, amount) in used where amount < 0 || amount > supplied[name, default: 0] {
            problems.append("resource \(name) used \(amount) of \(supplied[name, default: 0])")
        }
        for (task, record) in tasks {
            // Formatted only for a problem: this runs after every event in tests.
            var name: String { "\(task) (\(record.state))" }
            let runs =
                record.state == .executing
                || (record.state == .cancelled && record.previous == .executing)
                || (record.state == .resumed && record.next == .fetch)
            if runs != executing.contains(task) {
                problems.append("\(name): execution list disagrees with its state")
            }
            let fetches =
                record.state == .flight
                || (record.state == .cancelled && record.previous == .flight)
                || (record.state == .resumed && record.next == .waiting)
            if fetches != flight.contains(task) {
                problems.append("\(name): fetch list disagrees with its state")
            }
            if fetches != (record.fetchingFrom != nil) {
                problems.append("\(name): fetching from \(String(describing: record.fetchingFrom))")
            }
            if record.state == .waiting {
                var missing = 0
                for dependency in record.dependencies where tasks[dependency]?.state != .memory {
                    missing += 1
                }
                if missing != record.waitingFor {
                    problems.append("\(name): waiting for \(record.waitingFor), \(missing) missing")
                }
            }
            let computes =
                switch record.state {
                case .ready, .constrained, .executing, .waiting: true
                default: false
                }
            if computes, record.run == nil {
                problems.append("\(name): to compute without a run")
            }
            if record.state == .cancelled, record.previous == nil {
                problems.append("\(name): cancelled without what it was doing")
            }
            if record.state == .resumed, record.next == nil {
                problems.append("\(name): resumed without what comes next")
            }
        }
        return problems.sorted()
    }
}

extension [TaskID] {
    /// Whether some task is listed twice; quadratic, for the short lists of one worker's
    /// executions and fetches (no set to allocate after every event).
    fileprivate var hasRepeats: Bool {
        indices.contains { index in self[(index + 1)...].contains(self[index]) }
    }
}
