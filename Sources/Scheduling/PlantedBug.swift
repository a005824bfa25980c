/// A deliberately broken variant of the scheduler, one planted bug each: the bug zoo uses them
/// to show that seed sweeps find, and shrinking isolates, the races such bugs open. Never set
/// one outside a test of the testing tools: it is SPI (`@_spi(PlantedBugs) import Scheduling`),
/// and everything the bugs do is in this file.
@_spi(PlantedBugs)
public enum PlantedBug: String, Sendable, Hashable, CaseIterable {
    /// Moves a task to the thief as soon as it asks the victim, without waiting for the
    /// victim's confirmation that it had not started the task.
    case stealWithoutConfirmation = "broken-steal-without-confirmation"
    /// Takes a task-finished message from a worker it already declared dead as the task's
    /// result, whatever run it was for.
    case acceptResultFromRemovedWorker = "broken-accept-result-from-removed-worker"
    /// Counts a worker's death twice against the tasks it was running, so they run out of
    /// allowed failures (KilledWorker) too soon.
    case countDeathsTwice = "broken-count-deaths-twice"
    /// Takes a result that was already on its way when the client cancelled the task as the
    /// result of the task submitted again since, though it comes from the cancelled run.
    case acceptResultOfCancelledRun = "broken-accept-result-of-cancelled-run"
}

/// What the planted bugs do, each where the correct scheduler would do otherwise.
extension Scheduler {
    /// A finish the correct scheduler ignores, taken as the result of the task processing now
    /// if `bug` is planted: `broken-accept-result-from-removed-worker` (a finish from a worker
    /// already declared dead) or `broken-accept-result-of-cancelled-run` (a finish of an
    /// earlier run). Whether the bug took the message.
    func plantedBug(
        _ bug: PlantedBug, takesFinishOf task: TaskID, worker: WorkerID, size: Int64,
        duration: Nanoseconds
    ) -> Bool {
        guard configuration.plantedBug == bug, tasks[task.int].state == .processing else {
            return false
        }
        processingToMemory(task, worker: worker, size: size, duration: duration)
        return true
    }

    /// `broken-steal-without-confirmation`: the task moves to the thief as soon as the victim
    /// is asked. Whether the bug moved it.
    func plantedBugStealsAtOnce(_ task: TaskID, thief: WorkerID) -> Bool {
        guard configuration.plantedBug == .stealWithoutConfirmation else { return false }
        out.append(.note(task, worker: thief, .stealConfirmed))
        unassign(task)
        assign(task, to: thief)
        return true
    }

    /// How many failures an unexpected death counts against each task it was running: one,
    /// or two with `broken-count-deaths-twice`.
    var failuresPerDeath: Int32 { configuration.plantedBug == .countDeathsTwice ? 2 : 1 }
}
