import Scheduling
import Testing

@Suite struct ClientRequestTests {
    @Test func cancellingAPendingTaskReportsAndForgetsIt() {
        let h = Harness()
        h.submit("x")  // no workers yet: no-worker
        #expect(h.state("x") == .noWorker)
        h.send(.cancel(client: h.client, tasks: h.ids(["x"]), force: false))
        #expect(h.reports["x"] == .cancelled(reason: "cancelled"))
        #expect(h.state("x") == .forgotten)
    }

    /// A forced cancel of a processing task stops it on its worker.
    @Test func forcedCancelOfAProcessingTask() {
        let h = Harness()
        let a = h.addWorker("a")
        h.submit("x")
        h.send(.cancel(client: h.client, tasks: h.ids(["x"]), force: true))
        #expect(h.freedKeys(on: a) == ["x"])
        #expect(h.reports["x"] == .cancelled(reason: "cancelled"))
        #expect(h.state("x") == .forgotten)
    }

    /// Cancelling a dependency cancels its dependents (dask).
    @Test func cancellingADependencyCancelsDependents() {
        let h = Harness()
        h.addWorker("a")
        h.submit([KeyedSpec(key: "x"), KeyedSpec(key: "y", dependencies: ["x"])])
        h.send(.cancel(client: h.client, tasks: h.ids(["x"]), force: false))
        #expect(h.reports["x"] == .cancelled(reason: "cancelled"))
        #expect(h.reports["y"] == .cancelled(reason: "cancelled"))
        #expect(h.state("y") == .forgotten)
    }

    /// Another client's want keeps a task alive through a plain cancel, not a forced one.
    @Test func otherClientsKeepATaskUnlessForced() {
        let h = Harness()
        h.addWorker("a")
        let other = ClientID(1)
        h.submit("x")
        h.send(
            .updateGraph(
                client: other, tasks: h.keys.specs([KeyedSpec(key: "x")]), wanted: h.ids(["x"])))
        h.send(.cancel(client: h.client, tasks: h.ids(["x"]), force: false))
        #expect(h.state("x") == .processing)
        h.send(.cancel(client: other, tasks: h.ids(["x"]), force: true))
        #expect(h.state("x") == .forgotten)
    }

    /// Cancel versus finish: the finish of a cancelled task arrives after the cancel.
    @Test func cancelVersusFinish() {
        let h = Harness()
        let a = h.addWorker("a")
        h.submit("x")
        let task = h.id("x")
        let run = h.run(of: "x")
        h.send(.cancel(client: h.client, tasks: h.ids(["x"]), force: true))
        h.send(.taskFinished(task, worker: a, run: run, outputSize: 10, duration: 5))
        #expect(h.notes() == [.notProcessing])
        #expect(h.freedKeys(on: a) == ["x"])
        #expect(h.state("x") == .forgotten)
    }

    /// Cancel then resubmit at once (R8): the new incarnation runs, and its client hears it
    /// finish once.
    @Test func cancelThenResubmitIsANewIncarnation() {
        let h = Harness()
        h.addWorker("a")
        h.submit("x")
        h.send(.cancel(client: h.client, tasks: h.ids(["x"]), force: false))
        h.submit("x")
        #expect(h.state("x") == .processing)
        #expect(h.scheduler.incarnation(of: h.id("x")) == 1)
        h.finish("x")
        let finished = h.last.filter { command in
            if case .report(.finished, h.id("x"), h.client) = command { return true }
            return false
        }
        #expect(finished.count == 1)
    }
}
