/// Consistency checks, run after every event in tests and explore (as dask's `validate_state`
/// and `validate_key`).
extension Scheduler {
    /// Every broken invariant, described; empty when the scheduler is consistent. Looks at
    /// every task and worker.
    public func invariantViolations() -> [String] {
        withRecords { tasks, workers in
            var problems: [String] = []
            var claims = [Int](repeating: 0, count: workers.count)
            var counts = [Int](repeating: 0, count: stateCounts.count)
            var unplaced = [Int](repeating: 0, count: groups.count)
            for index in tasks.indices {
                check(task: index, tasks, workers, into: &problems)
                counts[Int(tasks[index].state.rawValue)] += 1
                if tasks[index].state.awaitsPlacement { unplaced[Int(tasks[index].group)] += 1 }
                if let worker = tasks[index].processingOn { claims[worker.int] += 1 }
            }
            for group in groups.indices
            where queuingIsOff && unplaced[group] != groups[group].unplaced {
                problems.append(
                    "group \(groups[group].name): \(groups[group].unplaced) tasks counted as "
                        + "awaiting a worker, \(unplaced[group]) are")
            }
            var slots = 0
            for index in workers.indices {
                check(worker: index, claimedBy: claims[index], tasks, workers, into: &problems)
                slots += freeSlotShare(of: index, in: workers)
            }
            checkTotals(counts: counts, freeSlots: slots, into: &problems)
            return problems
        }
    }

    /// The same checks, on what changed since the last call: the tasks and workers written
    /// since, and those whose invariants read what changed (a task's dependencies and
    /// dependents when its state changed; a worker's processing tasks and replicas when its
    /// status did). Totals are kept from call to call; the first call checks everything.
    /// Called after every event, it finds what ``invariantViolations()`` would, at a cost
    /// that follows the event rather than the size of the graph.
    public func changedInvariantViolations() -> [String] {
        guard let checked = lastChecked else {
            lastChecked = CheckedTotals(of: self)
            tasks.startTrackingChanges()
            workers.startTrackingChanges()
            return invariantViolations()
        }
        checked.beginVisits(taskCount: tasks.count, workerCount: workers.count)
        tasks.takeChanges(into: &checked.changedTasks)
        workers.takeChanges(into: &checked.changedWorkers)
        return withRecords { tasks, workers in
            var problems: [String] = []
            // Every change is taken in first, neighbour counts included; then the changed
            // tasks and the neighbours whose counts a state change moved are checked.
            // Kept between checks, so a check allocates nothing for its list.
            var toVisit = checked.takeVisitList()
            defer { checked.returnVisitList(toVisit) }
            for position in checked.changedTasks.indices {
                let task = Int(checked.changedTasks[position])
                let stateChanged = checked.takeIn(task: task, tasks)
                toVisit.append(task)
                // The neighbours' invariants read this task's state only.
                guard stateChanged else { continue }
                for index in tasks[task].dependencies.indices {
                    toVisit.append(tasks[task].dependencies[index].int)
                }
                for index in tasks[task].dependents.indices {
                    toVisit.append(tasks[task].dependents[index].int)
                }
            }
            func visit(_ task: Int) {
                if checked.firstVisit(task: task) {
                    check(task: task, tasks, workers, counted: checked, into: &problems)
                }
            }
            toVisit.forEach(visit)
            // Grows while it is walked: a task that changed workers adds both.
            var position = 0
            while position < checked.changedWorkers.count {
                let worker = Int(checked.changedWorkers[position])
                position += 1
                guard checked.firstVisit(worker: worker) else { continue }
                let statusChanged = checked.update(
                    worker: worker, status: workers[worker].status,
                    share: freeSlotShare(of: worker, in: workers))
                check(
                    worker: worker, claimedBy: checked.claims[worker], tasks, workers,
                    into: &problems)
                guard statusChanged else { continue }
                for index in workers[worker].processing.indices {
                    visit(workers[worker].processing[index].int)
                }
                for index in workers[worker].holding.indices {
                    visit(workers[worker].holding[index].int)
                }
            }
            checkTotals(counts: checked.counts, freeSlots: checked.freeSlots, into: &problems)
            return problems
        }
    }

    /// Runs `body` on the records in place: reading the class's tables directly retained and
    /// released a list per task and check, which dominated runs that check every event.
    private func withRecords<Result>(
        _ body: (UnsafeBufferPointer<TaskRecord>, UnsafeBufferPointer<WorkerRecord>) -> Result
    ) -> Result {
        tasks.withRecords { tasks in workers.withRecords { workers in body(tasks, workers) } }
    }

    /// One task's own invariants and those relating it to its neighbours and its worker.
    /// `counted` holds its neighbour counts as the checker keeps them (after every event);
    /// without it (a full check) they are counted from the neighbours.
    private func check(
        task index: Int, _ tasks: UnsafeBufferPointer<TaskRecord>,
        _ workers: UnsafeBufferPointer<WorkerRecord>, counted: CheckedTotals? = nil,
        into problems: inout [String]
    ) {
        let task = TaskID(index)
        // Formatted only for a problem.
        var name: String { "\(taskKey(of: task)) (\(tasks[index].state))" }
        var active: Int32 = 0
        var live: Int32 = 0
        if let counted {
            (active, live) = counted.dependents(of: index)
        } else {
            for position in tasks[index].dependents.indices {
                let state = tasks[tasks[index].dependents[position].int].state
                if state.needsDependencies { active += 1 }
                if state != .forgotten { live += 1 }
            }
        }
        if tasks[index].activeDependents != active {
            problems.append(
                "\(name): active dependents \(tasks[index].activeDependents) ≠ \(active)")
        }
        if tasks[index].liveDependents != live {
            problems.append("\(name): live dependents \(tasks[index].liveDependents) ≠ \(live)")
        }
        switch tasks[index].state {
        case .processing:
            guard let worker = tasks[index].processingOn else {
                problems.append("\(name): processing on no worker")
                break
            }
            if !workers[worker.int].status.isConnected {
                problems.append(
                    "\(name): processing on \(workers[worker.int].status) worker \(workers[worker.int].name)"
                )
            }
            let slot = Int(tasks[index].processingSlot)
            if slot < 0 || slot >= workers[worker.int].processing.count
                || workers[worker.int].processing[slot] != task
            {
                problems.append("\(name): not in its worker's processing list")
            }
        case .memory:
            if tasks[index].replicas.isEmpty {
                problems.append("\(name): in memory with no replica")
            }
            for position in tasks[index].replicas.indices
            where workers[tasks[index].replicas[position].int].status == .dead {
                let holder = tasks[index].replicas[position]
                problems.append("\(name): replica on dead worker \(workers[holder.int].name)")
            }
        case .waiting:
            var missing = 0
            if let counted {
                missing = Int(counted.missingInputs(of: index))
            } else {
                for position in tasks[index].dependencies.indices
                where tasks[tasks[index].dependencies[position].int].state != .memory {
                    missing += 1
                }
            }
            if tasks[index].waitingOn != Int32(missing) {
                problems.append(
                    "\(name): waiting on \(tasks[index].waitingOn), but \(missing) inputs are missing"
                )
            }
        default: break
        }
        if tasks[index].state != .processing, tasks[index].processingOn != nil {
            problems.append("\(name): has a worker but is not processing")
        }
        if tasks[index].state != .memory, !tasks[index].replicas.isEmpty {
            problems.append("\(name): replicas while not in memory")
        }
        if tasks[index].state == .erred, tasks[index].failure == nil {
            problems.append("\(name): erred without a failure")
        }
    }

    /// One worker's invariants; `claims` is how many tasks name it as their worker. With every
    /// listed task naming it at its slot, that count equal to the list's length means the list
    /// holds exactly the tasks processing on it.
    private func check(
        worker index: Int, claimedBy claims: Int, _ tasks: UnsafeBufferPointer<TaskRecord>,
        _ workers: UnsafeBufferPointer<WorkerRecord>, into problems: inout [String]
    ) {
        var name: String { workers[index].name }
        if workers[index].status == .dead, !workers[index].processing.isEmpty {
            problems.append("dead worker \(name) still has processing tasks")
        }
        if (workers[index].status == .running) != isListedRunning(WorkerID(index)) {
            problems.append(
                "\(workers[index].status) worker \(name) is wrongly (un)listed as running")
        }
        for position in workers[index].processing.indices {
            let task = workers[index].processing[position]
            if tasks[task.int].processingOn != WorkerID(index)
                || tasks[task.int].processingSlot != Int32(position)
            {
                problems.append(
                    "worker \(name) lists \(taskKey(of: task)), which is not on it there")
            }
        }
        let longRunning = workers[index].processing.count { tasks[$0.int].longRunning }
        if longRunning != workers[index].longRunning {
            problems.append(
                "worker \(name) counts \(workers[index].longRunning) long-running tasks, \(longRunning) are"
            )
        }
        if workers[index].processingCosts.count != workers[index].processing.count {
            problems.append(
                "worker \(name) has \(workers[index].processingCosts.count) costs for \(workers[index].processing.count) tasks"
            )
        }
        if claims != workers[index].processing.count {
            problems.append(
                "worker \(name) lists \(workers[index].processing.count) tasks, \(claims) are on it"
            )
        }
        if workers[index].occupancy < 0 {
            problems.append("worker \(name): negative occupancy")
        }
        if !groupCountsAgree(index, workers, tasks) {
            problems.append("worker \(name): its group counts are not its processing tasks'")
        }
    }

    /// Whether a worker's group counts are its processing tasks counted in their groups: each
    /// group once, with the count of its tasks there, and no group left out. The tally is kept
    /// between checks (this runs after every event) and left at zero.
    private func groupCountsAgree(
        _ index: Int, _ workers: UnsafeBufferPointer<WorkerRecord>,
        _ tasks: UnsafeBufferPointer<TaskRecord>
    ) -> Bool {
        // The two lists, not the record: a record read whole is a copy retaining every list.
        let (processing, groupCounts) = (workers[index].processing, workers[index].groupCounts)
        if groupTally.count < groups.count {
            groupTally.append(contentsOf: repeatElement(0, count: groups.count - groupTally.count))
        }
        for task in processing where tasks[task.int].countedInGroup {
            let group = Int(tasks[task.int].group)
            if groupTally[group] == 0 { talliedGroups.append(group) }
            groupTally[group] += 1
        }
        // Each entry takes its group's tally away: a group listed twice finds none the second
        // time (a tally is never zero), and one left out stays behind.
        var agree = true
        for entry in groupCounts {
            let group = Int(entry.group)
            guard group < groupTally.count, groupTally[group] != 0, groupTally[group] == entry.count
            else {
                agree = false
                break
            }
            groupTally[group] = 0
        }
        for group in talliedGroups {
            if groupTally[group] != 0 { agree = false }
            groupTally[group] = 0
        }
        talliedGroups.removeEach()
        return agree
    }

    /// Whether the worker is in the running list, which is kept in id order.
    private func isListedRunning(_ worker: WorkerID) -> Bool {
        let position = runningWorkers.orderedPosition(of: worker)
        return position < runningWorkers.count && runningWorkers[position] == worker
    }

    private func checkTotals(counts: [Int], freeSlots slots: Int, into problems: inout [String]) {
        // Compared in place: this runs after every event, and a list made of the kept counts
        // each time was an allocation.
        if counts.indices.contains(where: { counts[$0] != stateCounts[$0] }) {
            let kept = stateCounts.indices.map { stateCounts[$0] }
            problems.append("state counts \(kept) ≠ \(counts)")
        }
        if configuration.workerSaturation.isFinite, slots != freeSlots {
            problems.append("free slots \(freeSlots) ≠ \(slots)")
        }
    }

    /// What a worker adds to the free-slot total. Read field by field: the record read whole
    /// through the table is a copy retaining every list (this runs after every event).
    fileprivate func freeSlotShare(of index: Int, in workers: UnsafeBufferPointer<WorkerRecord>)
        -> Int
    {
        guard workers[index].status == .running, configuration.workerSaturation.isFinite else {
            return 0
        }
        return WorkerRecord.openSlots(
            capacity: workers[index].slotCapacity, processing: workers[index].processing.count,
            longRunning: workers[index].longRunning)
    }
}

/// What ``Scheduler/changedInvariantViolations()`` remembers between calls: each record's
/// fields as last checked, and the totals they add up to.
final class CheckedTotals {
    /// Per task: its state's raw value (`.max` before its first check), and its worker's
    /// index (−1 for none).
    private var states: [UInt8] = []
    private var taskWorkers: [Int32] = []
    /// Per task, kept from its neighbours' states as last checked, so that checking a task
    /// with many neighbours costs what its own change does: its dependencies not in memory,
    /// its dependents that need it, those not forgotten, and how many dependencies it had
    /// when last taken in (0 until it is linked).
    private var missing: [Int32] = []
    private var active: [Int32] = []
    private var live: [Int32] = []
    private var linked: [Int32] = []
    /// Per worker: its status, its share of the free slots, and how many tasks name it.
    private var statuses: [WorkerStatus] = []
    private var slotShares: [Int] = []
    private(set) var claims: [Int] = []
    private(set) var counts: [Int]
    private(set) var freeSlots = 0
    /// Visit marks by position: equal to `visit` once visited in the current check.
    private var taskMarks: [UInt32] = []
    private var workerMarks: [UInt32] = []
    private var visit: UInt32 = 0
    /// Positions changed since the last check; workers are added to while checking.
    var changedTasks: [Int32] = []
    var changedWorkers: [Int32] = []
    /// The storage of the tasks a check visits, kept for the next check.
    private var visitList: [Int] = []

    /// The visit list, empty, for a check to fill (give it back with `returnVisitList`).
    func takeVisitList() -> [Int] {
        var list: [Int] = []
        swap(&list, &visitList)
        list.removeEach()
        return list
    }

    func returnVisitList(_ list: [Int]) { visitList = list }

    init(of scheduler: Scheduler) {
        counts = [Int](repeating: 0, count: scheduler.stateCounts.count)
        beginVisits(taskCount: scheduler.tasks.count, workerCount: scheduler.workers.count)
        scheduler.tasks.withRecords { tasks in
            for index in tasks.indices { _ = takeIn(task: index, tasks) }
        }
        scheduler.workers.withRecords { workers in
            for index in workers.indices {
                _ = update(
                    worker: index, status: workers[index].status,
                    share: scheduler.freeSlotShare(of: index, in: workers))
            }
        }
        changedWorkers.removeAll()
    }

    /// Starts a check: clears the marks and the last check's changes, and makes room for
    /// records added since.
    func beginVisits(taskCount: Int, workerCount: Int) {
        changedTasks.removeEach()
        changedWorkers.removeEach()
        visit &+= 1
        if visit == 0 {
            taskMarks = taskMarks.map { _ in 0 }
            workerMarks = workerMarks.map { _ in 0 }
            visit = 1
        }
        while taskMarks.count < taskCount {
            taskMarks.append(0)
            states.append(.max)
            taskWorkers.append(-1)
            missing.append(0)
            active.append(0)
            live.append(0)
            linked.append(0)
        }
        while workerMarks.count < workerCount {
            workerMarks.append(0)
            statuses.append(.dead)
            slotShares.append(0)
            claims.append(0)
        }
    }

    func firstVisit(task: Int) -> Bool {
        guard taskMarks[task] != visit else { return false }
        taskMarks[task] = visit
        return true
    }

    func firstVisit(worker: Int) -> Bool {
        guard workerMarks[worker] != visit else { return false }
        workerMarks[worker] = visit
        return true
    }

    /// Takes in a task's current fields and what its state means to its neighbours' counts
    /// (a worker it left or joined joins the changed ones); whether its state changed.
    func takeIn(task index: Int, _ tasks: UnsafeBufferPointer<TaskRecord>) -> Bool {
        let before = states[index]
        let stateChanged = update(
            task: index, state: tasks[index].state, worker: tasks[index].processingOn)
        let after = states[index]
        let dependencies = tasks[index].dependencies
        if linked[index] != dependencies.count {
            // Newly linked: it counts in full towards its dependencies, and its missing
            // inputs are counted from their states as last taken in.
            linked[index] = Int32(dependencies.count)
            missing[index] = 0
            for dependency in dependencies {
                active[dependency.int] += Self.needs(after)
                live[dependency.int] += Self.lives(after)
                missing[index] += Self.absent(states[dependency.int])
            }
        } else if stateChanged {
            for dependency in dependencies {
                active[dependency.int] += Self.needs(after) - Self.needs(before)
                live[dependency.int] += Self.lives(after) - Self.lives(before)
            }
        }
        if stateChanged {
            // Dependents not linked yet count this state when they are.
            for dependent in tasks[index].dependents
            where linked[dependent.int] > 0
                && linked[dependent.int] == tasks[dependent.int].dependencies.count
            {
                missing[dependent.int] += Self.absent(after) - Self.absent(before)
            }
        }
        return stateChanged
    }

    /// A task's dependents that need it and that are not forgotten, as counted.
    func dependents(of index: Int) -> (active: Int32, live: Int32) { (active[index], live[index]) }

    /// A task's dependencies not in memory, as counted.
    func missingInputs(of index: Int) -> Int32 { missing[index] }

    /// What a state (a raw value; `.max`: not taken in yet) adds to each count.
    private static func needs(_ state: UInt8) -> Int32 {
        state != .max && SchedulerTaskState(rawValue: state)!.needsDependencies ? 1 : 0
    }

    private static func lives(_ state: UInt8) -> Int32 {
        state != .max && state != SchedulerTaskState.forgotten.rawValue ? 1 : 0
    }

    private static func absent(_ state: UInt8) -> Int32 {
        state == SchedulerTaskState.memory.rawValue ? 0 : 1
    }

    /// Takes in a task's current fields (a worker it left or joined joins the changed ones);
    /// whether its state changed.
    private func update(task index: Int, state: SchedulerTaskState, worker: WorkerID?) -> Bool {
        let state = state.rawValue
        let stateChanged = states[index] != state
        if stateChanged {
            if states[index] != .max { counts[Int(states[index])] -= 1 }
            states[index] = state
            counts[Int(state)] += 1
        }
        let worker = worker.map { Int32($0.index) } ?? -1
        let previous = taskWorkers[index]
        guard worker != previous else { return stateChanged }
        taskWorkers[index] = worker
        if previous >= 0 {
            claims[Int(previous)] -= 1
            changedWorkers.append(previous)
        }
        if worker >= 0 {
            claims[Int(worker)] += 1
            changedWorkers.append(worker)
        }
        return stateChanged
    }

    /// Takes in a worker's current status and free-slot share; whether its status changed.
    func update(worker index: Int, status: WorkerStatus, share: Int) -> Bool {
        freeSlots += share - slotShares[index]
        slotShares[index] = share
        defer { statuses[index] = status }
        return statuses[index] != status
    }
}
