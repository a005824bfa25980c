import Testing

@testable import Scheduling

/// The invariant checkers find what is broken: each test breaks one piece of a consistent
/// state and expects the violation that names it.
///
/// Both checks, of everything (`all`) and of the changes since the last call (`changed`),
/// must find the broken piece; the latter may name it from the other side (`changedFragment`).
func expectBothChecksFind(
    _ fragment: String, changedFragment: String?, sourceLocation: SourceLocation,
    all: () -> [String], changed: () -> [String], breaking: () -> Void
) {
    #expect(all().isEmpty && changed().isEmpty, sourceLocation: sourceLocation)
    breaking()
    let violations = all()
    #expect(
        violations.contains { $0.contains(fragment) }, "\(violations)",
        sourceLocation: sourceLocation)
    let changes = changed()
    #expect(
        changes.contains { $0.contains(changedFragment ?? fragment) },
        "checking the changes only: \(changes)", sourceLocation: sourceLocation)
}

@Suite struct SchedulerInvariantCheckTests {
    /// With queuing off, each group counts its tasks awaiting a worker (co-assignment lets go
    /// of the group's worker by it); the full check counts them again. The check of changes
    /// does not: a count off by one shows at the next full check (the first, or the end's).
    @Test func aGroupsCountOfTasksAwaitingAWorkerIsChecked() {
        let h = Harness { $0.workerSaturation = .infinity }
        h.addWorker("a")
        h.submit((0..<3).map { KeyedSpec(key: "load-\($0)") })
        h.submit("later", dependencies: ["load-0"])
        #expect(h.state("later") == .waiting)
        #expect(h.scheduler.invariantViolations().isEmpty)
        let group = Int(h.scheduler.tasks[h.id("later").int].group)
        h.scheduler.groups[group].unplaced += 1
        let violations = h.scheduler.invariantViolations()
        let expected = "group later: 2 tasks counted as awaiting a worker, 1 are"
        #expect(violations.contains { $0.contains(expected) }, "\(violations)")
    }

    /// `x` in memory on worker a, `y` (depending on x) processing on a, `z` (depending on y)
    /// waiting.
    func consistent() -> (Harness, Scheduler) {
        let h = Harness()
        h.addWorker("a")
        h.submit("x")
        h.submit("y", dependencies: ["x"])
        h.submit("z", dependencies: ["y"])
        h.finish("x")
        #expect(h.state("x") == .memory && h.state("y") == .processing && h.state("z") == .waiting)
        return (h, h.scheduler)
    }

    func expectViolation(
        _ fragment: String, changedFragment: String? = nil,
        sourceLocation: SourceLocation = #_sourceLocation,
        breaking: (Harness, Scheduler) -> Void
    ) {
        let (h, scheduler) = consistent()
        expectBothChecksFind(
            fragment, changedFragment: changedFragment, sourceLocation: sourceLocation,
            all: scheduler.invariantViolations, changed: scheduler.changedInvariantViolations
        ) { breaking(h, scheduler) }
    }

    @Test func dependentCounts() {
        expectViolation("active dependents") { h, s in s.tasks[h.id("x").int].activeDependents += 1
        }
        expectViolation("live dependents") { h, s in s.tasks[h.id("y").int].liveDependents -= 1 }
    }

    @Test func stateCounts() {
        expectViolation("state counts") { _, s in s.stateCounts[0] += 1 }
    }

    @Test func waitingCount() {
        expectViolation("waiting on 0, but 1 inputs are missing") { h, s in
            s.tasks[h.id("z").int].waitingOn = 0
        }
    }

    @Test func processingBookkeeping() {
        expectViolation(
            "not in its worker's processing list", changedFragment: "lists 0 tasks, 1 are on it"
        ) { h, s in s.workers[h.worker(of: "y")!.int].processing.removeAll() }
        expectViolation("which is not on it there") { h, s in
            s.tasks[h.id("y").int].processingSlot = 3
            s.workers[h.worker(of: "y")!.int].processing.append(h.id("z"))
        }
        expectViolation("has 0 costs for 1 tasks") { h, s in
            s.workers[h.worker(of: "y")!.int].processingCosts.removeAll()
        }
        expectViolation("processing on no worker") { h, s in
            s.tasks[h.id("y").int].processingOn = nil
        }
        expectViolation("has a worker but is not processing") { h, s in
            s.tasks[h.id("z").int].processingOn = WorkerID(0)
        }
        expectViolation("free slots") { _, s in s.freeSlots += 1 }
    }

    /// `y` processes on its worker, counted in its group.
    @Test func groupCounts() {
        let expected = "its group counts are not its processing tasks'"
        expectViolation(expected) { h, s in s.workers[h.worker(of: "y")!.int].groupCounts = [] }
        expectViolation(expected) { h, s in
            s.workers[h.worker(of: "y")!.int].groupCounts[0].count += 1
        }
        expectViolation(expected) { h, s in
            let worker = h.worker(of: "y")!.int
            s.workers[worker].groupCounts.append(s.workers[worker].groupCounts[0])
        }
        expectViolation(expected) { h, s in
            s.workers[h.worker(of: "y")!.int].groupCounts.append(GroupCount(group: 99, count: 0))
        }
    }

    @Test func replicas() {
        expectViolation("in memory with no replica") { h, s in
            s.tasks[h.id("x").int].replicas.removeAll()
        }
        expectViolation("replicas while not in memory") { h, s in
            s.tasks[h.id("z").int].replicas = [WorkerID(0)]
        }
        expectViolation("replica on dead worker") { _, s in s.workers[0].status = .dead }
    }
}

@Suite struct WorkerInvariantCheckTests {
    /// Task 1 executing; task 2 waiting for task 1 held nowhere else.
    func consistent() -> WorkerHarness {
        let h = WorkerHarness()
        h.compute(1)
        h.compute(2, inputs: [input(1, on: 0)])
        #expect(h.state(1) == .executing && h.state(2) == .waiting)
        return h
    }

    func expectViolation(
        _ fragment: String, changedFragment: String? = nil,
        sourceLocation: SourceLocation = #_sourceLocation,
        breaking: (WorkerStateMachine) -> Void
    ) {
        let worker = consistent().worker
        expectBothChecksFind(
            fragment, changedFragment: changedFragment, sourceLocation: sourceLocation,
            all: worker.invariantViolations, changed: worker.changedInvariantViolations
        ) { breaking(worker) }
    }

    @Test func executionList() {
        expectViolation("an execution listed twice") { $0.executing.append(TaskID(1)) }
        expectViolation("execution list disagrees", changedFragment: "1 tasks executing") {
            $0.executing.removeAll()
        }
        expectViolation("executions on 1 threads") { $0.executing.append(TaskID(2)) }
        expectViolation("listed as executing but is waiting") { $0.executing = [TaskID(2)] }
    }

    @Test func fetchList() {
        expectViolation("fetching from") { $0.tasks[TaskID(1)]!.fetchingFrom = WorkerID(3) }
        expectViolation("fetch list disagrees") { $0.flight.append(TaskID(1)) }
        expectViolation("t9 is listed as fetched but is forgotten") { $0.flight.append(TaskID(9)) }
        expectViolation("in gather 4") { $0.tasks[TaskID(2)]!.gather = 4 }
        expectViolation("the gathers in flight count") { $0.gathers[5] = 1 }
    }

    /// A fetch in flight that leaves the list while its record stays as it was: only the
    /// list changed, and both checks still see it.
    @Test func aFetchDroppedFromTheListAlone() {
        let h = WorkerHarness()
        h.compute(3, inputs: [input(7, on: 5)])
        #expect(h.state(7) == .flight)
        let worker = h.worker
        expectBothChecksFind(
            "fetch list disagrees", changedFragment: nil, sourceLocation: #_sourceLocation,
            all: worker.invariantViolations, changed: worker.changedInvariantViolations
        ) { worker.flight.remove(TaskID(7)) }
    }

    @Test func resources() {
        expectViolation("resource gpu used 1.0 of 0.0") { $0.used["gpu"] = 1 }
    }

    @Test func stateWithoutItsContext() {
        expectViolation("cancelled without what it was doing") {
            $0.tasks[TaskID(1)]!.state = .cancelled
        }
    }

    @Test func waitingCount() {
        expectViolation("waiting for 0, 1 missing") { $0.tasks[TaskID(2)]!.waitingFor = 0 }
    }

    @Test func runs() {
        expectViolation("to compute without a run") { $0.tasks[TaskID(2)]!.run = nil }
    }
}
