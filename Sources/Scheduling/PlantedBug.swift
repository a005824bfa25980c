/// A deliberately broken variant of the scheduler, one planted bug each: the bug zoo uses them
/// to show that seed sweeps find, and shrinking isolates, the races such bugs open. Never set
/// one outside a test of the testing tools.
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
