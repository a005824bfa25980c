/// Consistency checks, run after every event in tests.
extension WorkerStateMachine {
    /// Every broken invariant, described and sorted; empty when the worker is consistent.
    public func invariantViolations() -> [String] {
        var problems: [String] = []
        if executing.count > threads {
            problems.append("\(executing.count) executions on \(threads) threads")
        }
        if Set(executing).count != executing.count { problems.append("an execution listed twice") }
        if Set(flight).count != flight.count { problems.append("a fetch listed twice") }
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
                let missing = record.dependencies.filter { tasks[$0]?.state != .memory }.count
                if missing != record.waitingFor {
                    problems.append("\(name): waiting for \(record.waitingFor), \(missing) missing")
                }
            }
            if [.ready, .constrained, .executing, .waiting].contains(record.state),
                record.run == nil
            {
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
