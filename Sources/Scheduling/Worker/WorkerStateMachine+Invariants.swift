/// Consistency checks, run after every event in tests and explore.
extension WorkerStateMachine {
    /// Every broken invariant, described and sorted; empty when the worker is consistent.
    /// Looks at every task.
    public func invariantViolations() -> [String] {
        var problems: [String] = []
        var running = 0
        var fetching = 0
        var gatherSizes: [UInt32: Int] = [:]
        for (_, record) in tasks {
            check(record, counted: false, into: &problems)
            if record.runs { running += 1 }
            if record.fetches { fetching += 1 }
            gatherSizes.count(record.gather, by: 1)
        }
        for task in flight where tasks[task] == nil { problems.append(forgottenInFlight(task)) }
        checkLists(
            running: running, fetching: fetching, gatherSizes: gatherSizes, entries: true,
            into: &problems)
        return problems.sorted()
    }

    /// The same checks, on what changed since the last call: the task records written since,
    /// and the tasks waiting on one whose state changed; the lists and totals each time. The
    /// first call checks everything. Equivalent to ``invariantViolations()`` after every
    /// event, at a cost that follows the event rather than how much the worker holds.
    public func changedInvariantViolations() -> [String] {
        guard changes.isOn else {
            changes.isOn = true
            changes.running = 0
            changes.fetching = 0
            changes.gatherSizes = [:]
            tasks.wakeAll()
            for (_, record) in tasks { takeIn(record) }
            flight.logsChanges = true
            return invariantViolations()
        }
        var problems: [String] = []
        changes.take()
        changes.checks &+= 1
        // Every change is taken in first, the dependents' missing counts included; then the
        // changed records and the dependents whose counts moved are checked.
        var toVisit: [WorkerTask] = []
        swap(&toVisit, &changes.toVisit)
        defer {
            toVisit.removeEach()
            swap(&toVisit, &changes.toVisit)
        }
        for record in changes.taken {
            let wasInMemory = record.checkedState == .memory
            let stateChanged = takeIn(record)
            // A forgotten record is gone from the table: only its totals count.
            if tasks[record.id] === record { toVisit.append(record) }
            // Dependents' waiting counts read this task's state only.
            guard stateChanged else { continue }
            let isInMemory = record.state == .memory && tasks[record.id] === record
            for dependent in record.dependents {
                guard let waiting = tasks[dependent] else { continue }
                if wasInMemory != isInMemory, waiting.checkedVersion == waiting.dependenciesVersion
                {
                    waiting.checkedMissing += isInMemory ? -1 : 1
                }
                toVisit.append(waiting)
            }
        }
        for record in toVisit where record.checkMark != changes.checks {
            record.checkMark = changes.checks
            check(record, counted: true, into: &problems)
        }
        changes.taken.removeEach()
        // An id that entered or left flight without its record changing is checked here.
        flight.takeChanges(into: &changes.flightChanges)
        defer { changes.flightChanges.removeEach() }
        for task in changes.flightChanges where tasks[task]?.checkMark != changes.checks {
            if let record = tasks[task] {
                record.checkMark = changes.checks
                check(record, counted: true, into: &problems)
            } else if flight.contains(task) {
                problems.append(forgottenInFlight(task))
            }
        }
        checkLists(
            running: changes.running, fetching: changes.fetching, gatherSizes: changes.gatherSizes,
            entries: changes.listsChanged, into: &problems)
        changes.listsChanged = false
        return problems.sorted()
    }

    /// Counts a record as the check sees it now into the totals; whether its state changed.
    @discardableResult
    private func takeIn(_ record: WorkerTask) -> Bool {
        let runs = record.runs
        let fetches = record.fetches
        if runs != record.checkedRuns { changes.running += runs ? 1 : -1 }
        if fetches != record.checkedFetches { changes.fetching += fetches ? 1 : -1 }
        record.checkedRuns = runs
        record.checkedFetches = fetches
        if record.gather != record.checkedGather {
            changes.gatherSizes.count(record.checkedGather, by: -1)
            changes.gatherSizes.count(record.gather, by: 1)
            record.checkedGather = record.gather
        }
        defer { record.checkedState = record.state }
        return record.checkedState != record.state
    }

    private func forgottenInFlight(_ task: TaskID) -> String {
        "\(task) is listed as fetched but is forgotten"
    }

    /// One task's invariants.
    /// `counted`: read its missing inputs from the count the checker keeps (after every
    /// event), counting them in full only when its dependencies were set since; else (a full
    /// check) count them from the table.
    private func check(_ record: WorkerTask, counted: Bool, into problems: inout [String]) {
        // Formatted only for a problem.
        var name: String { "\(record.id) (\(record.state))" }
        if record.runs != executing.contains(record.id) {
            problems.append("\(name): execution list disagrees with its state")
        }
        let fetches = record.fetches
        if fetches != flight.contains(record.id) {
            problems.append("\(name): fetch list disagrees with its state")
        }
        if fetches != (record.fetchingFrom != nil) {
            problems.append("\(name): fetching from \(String(describing: record.fetchingFrom))")
        }
        if fetches != (record.gather != 0) {
            problems.append("\(name): in gather \(record.gather)")
        }
        if record.state == .waiting {
            var missing: Int32 = 0
            if counted, record.checkedVersion == record.dependenciesVersion {
                missing = record.checkedMissing
            } else {
                for dependency in record.dependencies where tasks[dependency]?.state != .memory {
                    missing += 1
                }
                // Kept only when every change is taken in: later ones then move it.
                if counted {
                    record.checkedMissing = missing
                    record.checkedVersion = record.dependenciesVersion
                }
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

    /// The execution and fetch lists against the tasks (`running` and `fetching`: how many
    /// count as executing and as fetching; `gatherSizes`: how many records name each gather),
    /// and resource use. With every listed task counting and no task listed twice, equal
    /// totals mean the lists hold exactly the counting tasks. Each fetch is checked against
    /// its record when either changes, so only the execution list's entries are read here,
    /// and only with `entries`: a record that changed is checked against the lists on its
    /// own, so they need reading again only when they changed.
    private func checkLists(
        running: Int, fetching: Int, gatherSizes: [UInt32: Int], entries: Bool,
        into problems: inout [String]
    ) {
        if running != executing.count {
            problems.append("\(executing.count) executions listed, \(running) tasks executing")
        }
        if fetching != flight.count {
            problems.append("\(flight.count) fetches listed, \(fetching) tasks in flight")
        }
        if gatherSizes != gathers {
            // In gather order: a table's own order differs from process to process.
            func listed(_ sizes: [UInt32: Int]) -> String {
                sizes.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
                    .joined(separator: ", ")
            }
            problems.append(
                "the gathers in flight count [\(listed(gathers))], their fetches [\(listed(gatherSizes))]"
            )
        }
        if gathers.count > fetchLimit {
            problems.append("\(gathers.count) gathers in flight, at most \(fetchLimit) allowed")
        }
        guard entries else { return }
        if busyThreads > threads {
            problems.append("\(busyThreads) executions on \(threads) threads")
        }
        let secededListed = executing.count { tasks[$0]?.seceded == true }
        if secededListed != seceded {
            problems.append("\(secededListed) seceded executions listed, \(seceded) counted")
        }
        if executing.hasRepeats { problems.append("an execution listed twice") }
        for task in executing where tasks[task]?.runs != true {
            problems.append("\(task) is listed as executing but is \(state(of: task))")
        }
        for (name, amount) in used where amount < 0 || amount > supplied[name, default: 0] {
            problems.append("resource \(name) used \(amount) of \(supplied[name, default: 0])")
        }
    }
}

extension [UInt32: Int] {
    /// Moves the count of gather `key` (other than 0, which stands for none) by `change`,
    /// dropping it at zero, so that equal tallies compare equal.
    fileprivate mutating func count(_ key: UInt32, by change: Int) {
        guard key != 0 else { return }
        let total = self[key, default: 0] + change
        self[key] = total == 0 ? nil : total
    }
}

extension [TaskID] {
    /// Whether some task is listed twice; pairwise, for the short list of one worker's
    /// executions (no set to allocate after every event).
    fileprivate var hasRepeats: Bool {
        indices.contains { index in self[(index + 1)...].contains(self[index]) }
    }
}
