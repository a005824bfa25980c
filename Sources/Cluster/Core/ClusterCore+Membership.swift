import Scheduling

/// Workers dying and joining, and the faults that happen at a time.
extension ClusterCore {
    /// Schedules the faults that happen at a time: kills, joins, and the opening of windows
    /// (which the trace marks).
    public func scheduleTimedFaults() {
        for fault in faults.timed {
            switch fault {
            case .kill(let name, let time):
                schedule(.kill(name), at: time, keepsBusy: true)
            case .join(let setup, let time):
                schedule(.join(setup), at: time, keepsBusy: true)
            case .window(let code, let name, let start, let end):
                schedule(
                    .windowOpens(code, worker: name, length: end - start), at: start,
                    keepsBusy: true)
            }
        }
    }

    /// A worker process starts and announces itself to the scheduler (once the scheduler has
    /// removed its previous process under the same name, if one died), now or, for the
    /// workers there from the start, at `time` (zero).
    public func join(_ setup: WorkerSetup, at time: Nanoseconds? = nil) {
        if let announced = membership.join(setup, isLive: workerByName[setup.name] != nil) {
            schedule(
                .toScheduler(.workerAdded(announced)), at: time ?? now, keepsBusy: true)
        }
    }

    /// The scheduler registered a worker: its process exists from now on.
    func workerJoined(_ id: WorkerID, name: String) {
        guard let setup = membership.joined(name) else { return }
        while workers.count <= id.int { workers.append(nil) }
        generations += 1
        let worker = ClusterWorker(
            setup: setup, id: id, generation: generations,
            bandwidth: Double(scheduler.configuration.bandwidth))
        workers[id.int] = worker
        workerByName[name] = id
        withDriver { $0.workerStarted(worker) }
        record(.workerJoined, worker: id, detail: Int64(setup.threads))
    }

    /// The worker's process dies now (killed by a fault, or by its nanny for its memory); the
    /// scheduler hears of it after the detection delay.
    func kill(_ name: String, cause: FaultCode = .kill) {
        guard let id = workerByName[name], let worker = workers[id.int] else { return }
        record(.fault, worker: id, from: cause.rawValue)
        worker.alive = false
        worker.store.removeAll()
        workerByName[name] = nil
        membership.died(name)
        withDriver { $0.workerDied(worker) }
        schedule(
            .toScheduler(.workerRemoved(id, expected: false)),
            at: now.saturatingAdd(settings.deathDetectionDelay), keepsBusy: true)
    }

    /// The nanny restarts a worker whose data passed its terminate threshold: the process is
    /// killed, and a fresh one joins once the scheduler has removed the dead one.
    ///
    /// A restart past the settings' `restartsBeforeLivelock` in a row, with no task reaching
    /// memory in between, is a livelock (a result too big for any worker, with
    /// `allowed_failures` too high to end it): the worker stays dead and the run is reported as
    /// one, rather than restarting it for ever.
    func restart(_ setup: WorkerSetup) {
        kill(setup.name, cause: .memory)
        restartsSinceProgress += 1
        guard restartsSinceProgress <= settings.restartsBeforeLivelock else {
            if livelock == nil {
                livelock =
                    "workers were restarted for their memory \(settings.restartsBeforeLivelock) times "
                    + "with no task finishing in between (last: \(setup.name)); a result too big "
                    + "for any worker, retried because allowed_failures is high?"
            }
            return
        }
        join(setup)
    }
}
