import Cluster
import Scheduling
import Simulation
import Testing

/// A client that keeps a future open for a task the scheduler is done with: once nothing is
/// left to happen, the run reports it as a hang.
@Suite struct UnsettledFutureTests {
    /// Claims every task it is told of is still open on its side.
    final class NeverSettles: ClientReceiver, @unchecked Sendable {
        var heard: [TaskID] = []
        func receive(task: TaskID, news: ClientReport, value: (any Sendable)?) {
            if !heard.contains(task) { heard.append(task) }
        }
        var unsettledTasks: [TaskID] { heard }
    }

    @Test func aFutureNoReportSettlesIsAHang() throws {
        let (simulation, client) = cluster()
        let receiver = NeverSettles()
        let other = simulation.connect(receiver)
        let future = client.submit("inc", 41, options: taking(second)) { $0 + 1 }
        #expect(try future.result() == 42)
        simulation.send(
            .updateGraph(
                client: other, tasks: [TaskSpec(id: future.task, key: TaskKey(future.key))],
                wanted: [future.task]), bodies: [TaskBody(model: WorkModel()) { _ in 0 }],
            from: other)
        simulation.runToQuiescence()
        guard case .hang(_, let stuck) = simulation.failure else {
            Issue.record("no hang reported: \(String(describing: simulation.failure))")
            return
        }
        #expect(stuck == ["\(future.key) (memory on the scheduler, not done on the client)"])
    }
}
