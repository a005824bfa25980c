import Scheduling
import Testing

/// The scheduler's side of `scatter` (dask's `scatter` and `update_data`), event by event.
@Suite struct ScatterSchedulingTests {
    func updates(_ h: Harness) -> [(WorkerID, TaskID, RunID, Int64)] {
        h.last.compactMap {
            if case .updateData(let worker, let task, let run, let size) = $0 {
                return (worker, task, run, size)
            }
            return nil
        }
    }

    func news(_ h: Harness, about key: String) -> [ClientReport] {
        h.last.compactMap {
            if case .report(let news, let task, _) = $0, task == h.id(key) { return news }
            return nil
        }
    }

    /// Round-robin placement; processing until the worker confirms under the run it was sent.
    @Test func dataIsPlacedThenConfirmed() throws {
        let h = Harness()
        let a = h.addWorker("a")
        let b = h.addWorker("b")
        h.send(
            .scatter(
                client: h.client,
                data: ["x", "y", "z"].map { h.item($0, size: 1_000) }, workers: []))
        let sent = updates(h)
        #expect(sent.map(\.0) == [a, b, a])
        #expect(sent.map(\.3) == [1_000, 1_000, 1_000])
        #expect(h.state("x") == .processing && h.worker(of: "x") == a)
        #expect(h.computes().isEmpty)
        h.send(.taskFinished(sent[0].1, worker: a, run: sent[0].2, outputSize: 1_000, duration: 0))
        #expect(h.state("x") == .memory)
        #expect(news(h, about: "x") == [.finished])
    }

    /// A dependent submitted while the data is on its way waits for it, then runs where it is.
    @Test func aDependentWaitsForTheData() throws {
        let h = Harness()
        _ = h.addWorker("a")
        let b = h.addWorker("b")
        h.send(
            .scatter(
                client: h.client, data: [h.item("x", size: 100_000_000)],
                workers: ["b"]))
        let (_, task, run, _) = try #require(updates(h).first)
        h.submit([KeyedSpec(key: "use", dependencies: ["x"])])
        #expect(h.state("use") == .waiting)
        h.send(.taskFinished(task, worker: b, run: run, outputSize: 100_000_000, duration: 0))
        #expect(h.computes().map(\.worker) == [b])
    }

    /// The worker dies before confirming: the data cannot be computed, so it is not sent
    /// anywhere else; the client hears it is cancelled, and the key is forgotten.
    @Test func dataLostOnTheWayIsCancelledNotRun() throws {
        let h = Harness()
        let a = h.addWorker("a")
        _ = h.addWorker("b")
        h.send(.scatter(client: h.client, data: [h.item("x", size: 8)], workers: ["a"]))
        h.send(.workerRemoved(a, expected: false))
        #expect(h.computes().isEmpty && updates(h).isEmpty)
        #expect(news(h, about: "x") == [.cancelled(reason: "its scattered data was lost")])
        #expect(h.state("x") == .forgotten)
    }

    /// Scattering again what is in memory sends nothing; no running worker of those named
    /// makes the data err.
    @Test func againIsAtOnceAndNowhereErrs() throws {
        let h = Harness()
        let a = h.addWorker("a")
        h.send(.scatter(client: h.client, data: [h.item("x", size: 8)], workers: []))
        let (_, task, run, _) = try #require(updates(h).first)
        h.send(.taskFinished(task, worker: a, run: run, outputSize: 8, duration: 0))
        h.send(.scatter(client: h.client, data: [h.item("x", size: 8)], workers: []))
        #expect(updates(h).isEmpty)
        #expect(news(h, about: "x") == [.finished])
        h.send(.scatter(client: h.client, data: [h.item("y", size: 8)], workers: ["c"]))
        #expect(h.state("y") == .erred)
        guard case .erred(let failure)? = news(h, about: "y").first else {
            Issue.record("no error reported for y")
            return
        }
        #expect(failure.kind == "NoValidWorkerError")
    }
}
