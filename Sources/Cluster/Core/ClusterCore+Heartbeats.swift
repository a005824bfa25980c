import Scheduling

/// How the scheduler learns the bandwidth of transfers: workers measure what they fetch and
/// report it in heartbeats (dask's `Worker._update_metrics_received_data` and
/// `Scheduler.heartbeat_worker`).
extension ClusterCore {
    /// Rounds of heartbeats sent after the last measurement. Each worker's figure is then
    /// constant, and after this many rounds of every worker blending it in, the scheduler's
    /// figure is within e⁻¹⁰ (5·10⁻⁵) of where dask's never-ending heartbeats take it.
    static var heartbeatRounds: Int { 10 }

    /// A gather of more than 1 MB in all moves the receiving worker's estimate a twentieth of the
    /// way to the bandwidth it saw (bytes over the time from asking to holding, at least
    /// 1 ms), and keeps heartbeats going to carry it to the scheduler.
    func measure(_ transfer: Transfer, on worker: ClusterWorker) {
        guard let bytes = transfer.gatherBytes, bytes > 1_000_000,
            scheduler.configuration.learnsBandwidth
        else { return }
        let seconds = Double(max(now - transfer.startedAt, 1_000_000)) / 1e9
        worker.bandwidth = worker.bandwidth * 0.95 + Double(bytes) / seconds * 0.05
        heartbeatRoundsLeft = Self.heartbeatRounds
        if !heartbeatScheduled { scheduleHeartbeats() }
    }

    /// Every live worker sends its estimate; rounds go on while tasks are in progress, up to
    /// ``heartbeatRounds`` after the last measurement (heartbeats that could teach nothing
    /// new are not modelled).
    func heartbeats() {
        heartbeatScheduled = false
        for case let worker? in workers where worker.alive {
            deliver(
                .toScheduler(.heartbeat(worker.id, bandwidth: worker.bandwidth)),
                from: worker.id.index, to: MessageOnLink.scheduler,
                latency: settings.workerLatency)
        }
        heartbeatRoundsLeft -= 1
        let inProgress = [SchedulerTaskState.waiting, .queued, .noWorker, .processing].contains {
            scheduler.count(in: $0) > 0
        }
        if heartbeatRoundsLeft > 0, inProgress { scheduleHeartbeats() }
    }

    /// The next round, at the next multiple of dask's heartbeat interval for this many workers.
    private func scheduleHeartbeats() {
        let interval = Self.heartbeatInterval(workers: workerByName.count)
        heartbeatScheduled = true
        schedule(
            .heartbeats, at: (now / interval).saturatingAdd(1).saturatingMultiply(interval),
            keepsBusy: true)
    }

    /// dask's `heartbeat_interval`: half a second up to ten workers, longer for more, so that
    /// the scheduler hears at most about 200 heartbeats a second.
    public static func heartbeatInterval(workers: Int) -> Nanoseconds {
        switch workers {
        case ...10: 500_000_000
        case ..<50: 1_000_000_000
        case ..<200: 2_000_000_000
        default: Nanoseconds(workers) * 5_000_000 + 1_000_000_000
        }
    }
}
