import Cluster
@_spi(Locking) import Futures
import Scheduling

/// Real threads as the cluster core's driver: events on the control loop at their wall-clock
/// deadline, bodies on each worker's pool of threads for their modelled time, copies on the
/// network pool.
extension ThreadCluster: ClusterDriver {
    /// The model time of the control loop's running action (only there).
    public var now: Nanoseconds {
        let wall = control.now
        if wall != actionTime.wall { actionTime = (wall, modelTime(at: wall)) }
        return actionTime.model
    }

    public var hasOtherWork: Bool { activity.outstanding != (control.runningCounted ? 1 : 0) }

    public func schedule(_ event: consuming ClusterEvent, at time: Nanoseconds, keepsBusy: Bool) {
        control.schedule(event, at: deadline(time), counted: keepsBusy)
    }

    /// Runs the body on one of the worker's threads, then the rest of its modelled time
    /// sleeping or spinning; the measured time is the execution's duration. A thread whose
    /// execution seceded leaves the pool when it is done, another having taken its place.
    public func run(_ execution: Execution) {
        guard let worker = threads[execution.ref.worker.int] else { return }
        let wall = configuration.scaled(execution.duration)
        worker.pool.submit(leavingAfter: execution.secedes) { [self] in
            let started = WallClock.now
            let result = core.perform(execution)
            worker.work(until: started + wall, spinning: execution.body.model.spins)
            let measured = configuration.modelled(WallClock.now - started)
            let outcome = ExecutionOutcome(result, of: execution, duration: measured)
            executionEnded(execution.ref, outcome)
        }
    }

    /// Hands an execution's end to the control loop. The ends that pool threads hand over
    /// while one waits for the loop go with it, in the order they came: one action and one
    /// wake-up for all of them, not one each.
    private func executionEnded(_ execution: ExecutionRef, _ outcome: ExecutionOutcome) {
        let first = shared.withLock { state in
            state.ended.append((execution, outcome))
            return state.ended.count == 1
        }
        guard first else { return }
        control.execute { [self] in
            var ended = spareEnded
            spareEnded = []
            shared.withLock { state in swap(&state.ended, &ended) }
            for (execution, outcome) in ended {
                core.handle(.executionEnded(execution, outcome: consume outcome))
            }
            ended.clearForReuse()
            spareEnded = ended
        }
    }

    /// The worker's pool starts a thread in place of the seceded one.
    public func executionSeceded(_ execution: ExecutionRef) {
        threads[execution.worker.int]?.pool.addThread()
    }

    /// Copies the bytes on the network pool; the copy arrives on the control loop.
    public func copy(_ data: StoredResult, for transfer: Transfer) {
        transfers.submit { [self] in
            let copy = data.copied()
            control.execute { [self] in core.handle(.dataArrived(transfer, copy)) }
        }
    }

    /// Only when the trace is kept: a run on threads is not hashed (its timing is the
    /// machine's).
    public var recordsTrace: Bool { configuration.keepsTrace }

    public func record(_ record: TraceRecord) {
        if configuration.keepsTrace { controlRecords.append(record) }
    }

    public func workerStarted(_ worker: ClusterWorker) {
        let process = RealWorker(setup: worker.setup, activity: activity)
        while threads.count <= worker.id.int { threads.append(nil) }
        threads[worker.id.int] = process
        shared.withLock { $0.processes.append(process) }
    }

    public func workerDied(_ worker: ClusterWorker) {
        threads[worker.id.int].take()?.die()
    }
}
