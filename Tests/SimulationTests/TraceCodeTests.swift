import Cluster
import Scheduling
import Testing

/// Traces store kinds, messages and states as numeric codes, and a trace hash folds them in:
/// a new case inserted before others would renumber them and change every stored hash. New
/// cases go at the end; these lists pin the codes.
@Suite struct TraceCodeTests {
    @Test func traceKindsKeepTheirCodes() {
        #expect(
            TraceKind.allCases.map(\.description) == [
                "client-sent", "delivered", "scheduler", "worker", "note", "execute", "executed",
                "fetch", "fetched", "future", "fault", "joined", "named-task", "spill",
                "unspill", "secede",
            ])
        #expect(TraceKind.allCases.map(\.rawValue) == Array(0..<16))
    }

    @Test func messageKindsKeepTheirCodes() {
        #expect(
            MessageKind.allCases.map(\.name) == [
                "updateGraph", "cancel", "release", "workerAdded", "workerRemoved", "taskStarted",
                "taskFinished", "taskErred", "stealResponse", "addKeys", "missingData", "tick",
                "compute", "freeKeys", "stealRequest", "acquireReplicas", "peerGone", "pause",
                "unpause", "executionOutcome", "fetchOutcome", "report", "scatter", "updateData",
                "workerStatusChange", "requestRefreshWhoHas", "refreshWhoHas", "heartbeat",
                "removeReplicas", "longRunning",
            ])
        #expect(MessageKind.allCases.map(\.rawValue) == Array(0..<30))
    }

    @Test func workerStatesAndStealAnswersKeepTheirCodes() {
        #expect(
            WorkerTaskState.allCases.map(\.description) == [
                "released", "waiting", "fetch", "flight", "missing", "ready", "constrained",
                "executing", "memory", "error", "cancelled", "resumed", "forgotten",
            ])
        #expect(
            WorkerTaskReport.answerNames == [
                "unknown", "released", "waiting", "ready", "constrained", "executing",
                "longRunning", "memory", "cancelled", "resumed", "fetch", "flight", "missing",
                "error",
            ])
    }
}
