import Scheduling
import Testing

/// One scheduler and its workers, each the real state machine, connected by in-memory
/// message queues: one first-in first-out queue per direction per worker, as dask's ordered
/// streams are. Executions and fetches end only when a test says so, so any interleaving of
/// messages and completions can be forced. Invariants of every machine are checked after
/// every event it handles.
final class MiniCluster {
    let scheduler: Harness
    private(set) var workers: [WorkerStateMachine?] = []
    private var toWorker: [[WorkerEvent]] = []
    private var toScheduler: [[SchedulerEvent]] = []
    /// Executions and fetches under way, in the order they started.
    private(set) var executions: [(worker: WorkerID, task: TaskID)] = []
    private(set) var fetches: [(worker: WorkerID, task: TaskID, from: WorkerID)] = []
    /// Everything clients were told, in order.
    private(set) var reports: [(task: TaskID, news: ClientReport)] = []
    /// The time of the tick the scheduler asked for last, until it is delivered.
    private var wakeTime: Nanoseconds?
    var wakeRequested: Bool { wakeTime != nil }

    init(
        policy: any SchedulingPolicy = LocalityPolicy(),
        configure: (inout SchedulerConfiguration) -> Void = { _ in }
    ) {
        scheduler = Harness(policy: policy, configure: configure)
    }

    // MARK: Driving

    @discardableResult
    func addWorker(_ name: String, threads: Int = 1) -> WorkerID {
        route(
            scheduler.send(.workerAdded(WorkerSpec(name: name, threads: threads))), threads: threads
        )
        return scheduler.scheduler.worker(named: name)!
    }

    func submit(_ specs: [KeyedSpec], wanted: [String]? = nil) {
        route(scheduler.send(scheduler.graphUpdate(specs, wanted: wanted)))
    }

    func client(_ event: SchedulerEvent) { route(scheduler.send(event)) }

    /// Delivers the tick the scheduler asked for, at its time.
    func tick() {
        scheduler.now = max(scheduler.now, wakeTime ?? scheduler.now)
        wakeTime = nil
        route(scheduler.send(.tick))
    }

    /// The worker process dies: the scheduler learns of it; messages it already sent still
    /// arrive.
    func kill(_ worker: WorkerID) {
        workers[worker.int] = nil
        toWorker[worker.int] = []
        executions.removeAll { $0.worker == worker }
        fetches.removeAll { $0.worker == worker }
        route(scheduler.send(.workerRemoved(worker, expected: false)))
    }

    /// Where the scheduler and the live workers disagree on who holds what.
    var dataAgreementViolations: [String] {
        scheduler.scheduler.dataAgreementViolations(with: workers.compactMap { $0 })
    }

    var liveWorkers: [WorkerID] { workers.indices.filter { workers[$0] != nil }.map(WorkerID.init) }

    func pendingToWorker(_ worker: WorkerID) -> [WorkerEvent] { toWorker[worker.int] }
    func pendingToScheduler(from worker: WorkerID) -> [SchedulerEvent] { toScheduler[worker.int] }

    /// Delivers the oldest message from the scheduler to `worker`.
    func deliverToWorker(_ worker: WorkerID) {
        guard !toWorker[worker.int].isEmpty else { return }
        workerHandles(worker, toWorker[worker.int].removeFirst())
    }

    /// Delivers the oldest message from `worker` to the scheduler.
    func deliverToScheduler(from worker: WorkerID) {
        guard !toScheduler[worker.int].isEmpty else { return }
        route(scheduler.send(toScheduler[worker.int].removeFirst()))
    }

    /// Ends an execution under way.
    func finishExecution(_ task: TaskID, on worker: WorkerID, succeeding: Bool = true) {
        guard let index = executions.firstIndex(where: { $0 == (worker, task) }) else {
            Issue.record("\(task) is not executing on \(worker)")
            return
        }
        executions.remove(at: index)
        workerHandles(
            worker,
            succeeding
                ? .executionSucceeded(task, outputSize: 100, duration: 1_000_000)
                : .executionFailed(task, failure: .boom))
    }

    /// Ends a fetch under way: it succeeds if the peer is alive and holds the data.
    func finishFetch(at index: Int) {
        let (worker, task, peer) = fetches.remove(at: index)
        let holds = workers[peer.int]?.state(of: task) == .memory
        workerHandles(
            worker,
            holds ? .fetchSucceeded(task, from: peer, size: 100) : .fetchFailed(task, from: peer))
    }

    /// Delivers every message and ends every execution and fetch, oldest first, until nothing
    /// is left.
    func runUntilQuiet(limit: Int = 1_000_000) {
        for _ in 0..<limit {
            if let worker = workers.indices.first(where: { !toWorker[$0].isEmpty }) {
                deliverToWorker(WorkerID(worker))
            } else if let worker = toScheduler.indices.first(where: { !toScheduler[$0].isEmpty }) {
                deliverToScheduler(from: WorkerID(worker))
            } else if let (worker, task) = executions.first {
                finishExecution(task, on: worker)
            } else if !fetches.isEmpty {
                finishFetch(at: 0)
            } else {
                let disagreements = dataAgreementViolations
                #expect(disagreements.isEmpty, "\(disagreements)")
                return
            }
        }
        Issue.record("the cluster did not become quiet")
    }

    // MARK: Routing

    private func route(_ commands: [SchedulerCommand], threads: Int = 1) {
        for command in commands {
            switch command {
            case .workerAdded(let worker, _):
                while workers.count <= worker.int {
                    workers.append(nil)
                    toWorker.append([])
                    toScheduler.append([])
                }
                workers[worker.int] = WorkerStateMachine(id: worker, threads: threads)
            case .compute(let request):
                toWorker[request.worker.int].append(.compute(request))
            case .updateData(let worker, let task, let run, let size):
                toWorker[worker.int].append(.updateData(task, run: run, size: size))
            case .freeKeys(let tasks, let worker):
                toWorker[worker.int].append(.freeKeys(tasks))
            case .removeReplicas(let tasks, let worker):
                toWorker[worker.int].append(.removeReplicas(tasks))
            case .refreshWhoHas(let inputs, let worker):
                toWorker[worker.int].append(.refreshWhoHas(inputs))
            case .stealRequest(let worker, let task, let steal):
                toWorker[worker.int].append(.stealRequest(task, steal: steal))
            case .workerGone(let gone):
                for worker in liveWorkers { toWorker[worker.int].append(.peerGone(gone)) }
            case .report(let news, let task, _):
                reports.append((task, news))
            case .wakeAt(let time, _):
                wakeTime = min(time, wakeTime ?? time)
            case .transition, .note, .graphAccepted:
                break
            }
        }
    }

    private func workerHandles(_ worker: WorkerID, _ event: WorkerEvent) {
        guard let machine = workers[worker.int] else { return }
        let commands = machine.handle(event)
        let violations = machine.invariantViolations()
        #expect(violations.isEmpty, "worker \(worker): \(violations)")
        for command in commands {
            switch command {
            case .execute(let task, _):
                executions.append((worker, task))
            case .fetch(let tasks, let peer, _):
                for task in tasks { fetches.append((worker, task, peer)) }
            case .send(let message):
                toScheduler[worker.int].append(message.event(from: worker))
            case .transition(let task, let from, let to):
                #expect(from.canTransition(to: to), "worker \(worker): \(from) → \(to) for \(task)")
            case .freeData:
                break
            case .exceededMemory, .spill, .unspill:
                Issue.record("worker \(worker) has no memory limit to act on")
            }
        }
    }
}
