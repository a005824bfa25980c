import Foundation
import Scenarios

/// Orrery against what a user would pick instead, on that tool's own model: SimPy running
/// independent tasks of exp(1 s) on one-thread workers from one shared queue, beside an Orrery
/// scenario of the same tasks and workers (queuing off, invariants checked at the end).
enum SimPyComparison {
    static let tasks = 200_000
    static let workers = 100

    static func run() -> [Figure] {
        var scenario = try! ScenarioLoader.load(
            """
            cluster:
              workers: [{count: \(workers), prefix: w, threads: 1}]
            scheduler: {worker_saturation: inf}
            tasks:
              - {key: t0, duration: {exponential: 1s}}
            expect:
              - {completes: true}
            """, file: "simpy-model.yaml")
        let model = scenario.tasks[0]
        scenario.tasks = (0..<tasks).map { index in
            var task = model
            task.key = "t-\(index)"
            return task
        }
        scenario.actions = [.submit(keys: scenario.tasks.map(\.key), at: 0)]
        let rate = bestRate(operations: tasks, repetitions: 3) {
            let result = ScenarioRunner.simulate(scenario, invariants: .atEnd, keepsTrace: false)
                .0
            precondition(result.passed && result.taskStatuses.count == tasks)
        }
        guard let simpy = simpyRate() else { return [] }
        return [
            Figure(
                name: "200k exp(1s) tasks, 100 workers, one queue", unit: "tasks/s", value: rate,
                baselineName: "SimPy 4.1.1, deque-backed store", baseline: simpy)
        ]
    }

    /// The SimPy script's best rate, run by the Python that `ORRERY_BENCH_PYTHON` names (the
    /// Makefile's scratch virtual environment); `nil`, with a message, where there is none.
    private static func simpyRate() -> Double? {
        guard let python = ProcessInfo.processInfo.environment["ORRERY_BENCH_PYTHON"],
            !python.isEmpty
        else {
            print("(ORRERY_BENCH_PYTHON not set: no SimPy baseline; `make bench` sets it)")
            return nil
        }
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("python/simpy_shared_queue.py")
        guard
            let rate = pythonFigures(
                [script.path, "\(tasks)", "\(workers)"], python: python)?.first
        else {
            print("(the SimPy script did not run with \(python): no SimPy baseline)")
            return nil
        }
        return rate
    }
}
