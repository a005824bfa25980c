/// The check that spans the scheduler and its workers: who holds which result.
extension Scheduler {
    /// Where the scheduler's record of which worker holds which result and what the workers
    /// hold disagree, described; empty when they agree. A result on its way, or a message
    /// about one, makes them differ for a while, so this means something only when nothing is
    /// in flight (at quiescence). A worker the scheduler no longer counts as connected is
    /// skipped.
    public func dataAgreementViolations(with machines: [WorkerStateMachine]) -> [String] {
        var problems: [String] = []
        for machine in machines {
            let worker = machine.id
            guard worker.int < workers.count, workers[worker.int].status.isConnected else {
                continue
            }
            let name = workers[worker.int].name
            let held = machine.heldTasks
            for task in held
            where tasks[task.int].state != .memory || !tasks[task.int].replicas.contains(worker) {
                problems.append(
                    "\(name) holds \(taskKey(of: task)), which the scheduler does not count "
                        + "there (\(tasks[task.int].state) on "
                        + "\(tasks[task.int].replicas.map { workers[$0.int].name }))")
            }
            let holds = Set(held)
            var reported = Set<TaskID>()
            for task in workers[worker.int].holding
            where tasks[task.int].replicas.contains(worker) && !holds.contains(task)
                && reported.insert(task).inserted
            {
                problems.append(
                    "the scheduler counts \(taskKey(of: task)) on \(name), which does not hold it"
                )
            }
        }
        return problems
    }
}
