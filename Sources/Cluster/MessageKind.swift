import Scheduling

/// The kind of a message, as traces record it.
public enum MessageKind: UInt8, Sendable, Hashable, CaseIterable {
    case updateGraph, cancel, release, workerAdded, workerRemoved, taskStarted, taskFinished,
        taskErred, stealResponse, addKeys, missingData, tick
    case compute, freeKeys, stealRequest, acquireReplicas, peerGone, pause, unpause,
        executionOutcome, fetchOutcome
    case report
    case scatter, updateData
    case workerStatusChange
    case requestRefreshWhoHas, refreshWhoHas
    case heartbeat
    case removeReplicas
    case longRunning

    /// Whether messages of this kind can be about a task (so a hold may name one).
    public var namesTasks: Bool {
        switch self {
        case .workerAdded, .workerRemoved, .workerStatusChange, .tick, .peerGone, .pause,
            .unpause, .heartbeat:
            false
        default: true
        }
    }

    /// The case name, such as `updateGraph`.
    public var name: String { String(describing: self) }

    /// The name scenario files use, dask's: `task-finished`, `compute-task`, `free-keys`, …
    public var wireName: String {
        switch self {
        case .compute: "compute-task"
        case .peerGone: "remove-worker"
        // dask's worker events `gather-dep-success` and `gather-dep-network-failure`.
        case .fetchOutcome: "gather-dep"
        case .heartbeat: "heartbeat-worker"
        default:
            name.reduce(into: "") { text, character in
                if character.isUppercase {
                    text += "-" + character.lowercased()
                } else {
                    text.append(character)
                }
            }
        }
    }
}

extension SchedulerEvent {
    /// The ``MessageKind`` raw value of the message.
    public var kindCode: UInt8 {
        let kind: MessageKind =
            switch self {
            case .updateGraph: .updateGraph
            case .cancel: .cancel
            case .release: .release
            case .scatter: .scatter
            case .workerAdded: .workerAdded
            case .workerRemoved: .workerRemoved
            case .taskStarted: .taskStarted
            case .taskFinished: .taskFinished
            case .taskErred: .taskErred
            case .stealResponse: .stealResponse
            case .addKeys: .addKeys
            case .missingData: .missingData
            case .tick: .tick
            case .workerStatusChanged: .workerStatusChange
            case .requestRefreshWhoHas: .requestRefreshWhoHas
            case .heartbeat: .heartbeat
            case .longRunning: .longRunning
            }
        return kind.rawValue
    }
}

extension SchedulerEvent {
    /// Whether the message is about `task`.
    public func concerns(_ task: TaskID) -> Bool {
        var found = false
        forEachNamedTask { found = found || $0 == task }
        return found
    }

    /// Calls `body` with each task the message names, in the message's order (a graph
    /// update's submitted tasks, then those it wants that it does not submit).
    public func forEachNamedTask(_ body: (TaskID) -> Void) {
        switch self {
        case .taskStarted(let target, _, _), .taskFinished(let target, _, _, _, _),
            .taskErred(let target, _, _, _), .stealResponse(let target, _, _, _),
            .missingData(let target, _, _), .longRunning(let target, _, _, _):
            body(target)
        case .addKeys(_, let tasks), .requestRefreshWhoHas(_, let tasks),
            .cancel(_, let tasks, _, _), .release(_, let tasks):
            tasks.forEach(body)
        case .updateGraph(_, let specs, let wanted):
            specs.forEach { body($0.id) }
            if !wanted.elementsEqual(specs.lazy.map(\.id)) {
                let submitted = Set(specs.lazy.map(\.id))
                for task in wanted where !submitted.contains(task) { body(task) }
            }
        case .scatter(_, let data, _): data.forEach { body($0.id) }
        case .workerAdded, .workerRemoved, .tick, .workerStatusChanged, .heartbeat: break
        }
    }

    /// Which way the message went, and the index of the worker or client at the far end from
    /// the scheduler (-1 for none); a joining worker is the one numbered `joining`.
    public func delivery(joining: Int32) -> (Delivery, Int32) {
        switch self {
        case .updateGraph(let client, _, _), .cancel(let client, _, _, _),
            .scatter(let client, _, _), .release(let client, _):
            (.clientToScheduler, Int32(client.index))
        case .workerAdded: (.workerToScheduler, joining)
        case .taskStarted(_, let worker, _), .taskFinished(_, let worker, _, _, _),
            .taskErred(_, let worker, _, _), .stealResponse(_, let worker, _, _),
            .addKeys(let worker, _), .missingData(_, let worker, _),
            .requestRefreshWhoHas(let worker, _), .workerStatusChanged(let worker, _),
            .heartbeat(let worker, _), .longRunning(_, let worker, _, _):
            (.workerToScheduler, worker.index)
        case .workerRemoved, .tick: (.schedulerToItself, -1)
        }
    }

    /// A steal response's answer as a trace records it (``TraceRecord/state``).
    public var answerCode: UInt8 {
        guard case .stealResponse(_, _, let state, _) = self else { return 0 }
        let index = state.map { WorkerTaskReport.allCases.firstIndex(of: $0)! + 1 } ?? 0
        return UInt8(index + 1)
    }
}

extension WorkerEvent {
    /// Whether the message is about `task`.
    public func concerns(_ task: TaskID) -> Bool {
        var found = false
        forEachNamedTask { found = found || $0 == task }
        return found
    }

    /// Calls `body` with each task the message names, in the message's order.
    public func forEachNamedTask(_ body: (TaskID) -> Void) {
        switch self {
        case .compute(let request): body(request.task)
        case .updateData(let target, _, _), .stealRequest(let target, _),
            .executionSucceeded(let target, _, _), .executionFailed(let target, _),
            .secede(let target, _), .fetchSucceeded(let target, _, _),
            .fetchFailed(let target, _):
            body(target)
        case .freeKeys(let tasks), .removeReplicas(let tasks): tasks.forEach(body)
        case .acquireReplicas(let inputs), .refreshWhoHas(let inputs):
            inputs.forEach { body($0.task) }
        case .peerGone, .pause, .unpause: break
        }
    }

    /// The ``MessageKind`` raw value of the message.
    public var kindCode: UInt8 {
        let kind: MessageKind =
            switch self {
            case .compute: .compute
            case .updateData: .updateData
            case .freeKeys: .freeKeys
            case .removeReplicas: .removeReplicas
            case .stealRequest: .stealRequest
            case .acquireReplicas: .acquireReplicas
            case .refreshWhoHas: .refreshWhoHas
            // A secede is news of the execution too.
            case .executionSucceeded, .executionFailed, .secede: .executionOutcome
            case .fetchSucceeded, .fetchFailed: .fetchOutcome
            case .peerGone: .peerGone
            case .pause: .pause
            case .unpause: .unpause
            }
        return kind.rawValue
    }
}

extension Note {
    /// The note's number in trace records.
    public var code: UInt8 { UInt8(Note.allCases.firstIndex(of: self)!) }
}

extension ClientReport {
    /// The report's number in trace records.
    public var code: UInt8 {
        switch self {
        case .running: 0
        case .finished: 1
        case .erred: 2
        case .cancelled: 3
        case .lost: 4
        case .pending: 5
        }
    }

    /// The report's name for its number.
    public static func name(ofCode code: UInt8) -> String {
        ["running", "finished", "erred", "cancelled", "lost", "pending"][Int(min(code, 5))]
    }
}
