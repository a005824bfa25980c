import Cluster
import DequeModule
import Foundation
import Futures
import Simulation
import ThreadExecutor

/// Real mode: no-op tasks through `Client.submit` → `Future.result` on a thread-backed
/// cluster, beside Python's `concurrent.futures.ThreadPoolExecutor` and a bare
/// lock-protected work queue in Swift, all with two worker threads on this machine, beside
/// the same program on a simulated cluster, and beside the scheduler alone on the same
/// tasks, without threads; with the control thread's processor time a task.
enum ThreadBenchmarks {
    static let tasks = 100_000

    static func run() -> [Figure] {
        // The best of three runs, with the control thread's processor time in it.
        let clock = ContinuousClock()
        var best: (wall: Duration, control: Duration?) = (.seconds(1_000_000), nil)
        for _ in 0..<3 {
            var control: Duration?
            let wall = clock.measure { control = submitAndWait() }
            if wall < best.wall { best = (wall, control) }
        }
        let clusterRate = Double(tasks) / seconds(best.wall)
        let queueRate = bestRate(operations: tasks, repetitions: 3) { keep(bareQueue()) }
        var figures = [
            Figure(
                name: "real: 100k no-op submit→result (1×2 threads)", unit: "tasks/s",
                value: clusterRate, baselineName: "bare locked queue, 2 threads",
                baseline: queueRate)
        ]
        if let python = pythonThreadPoolRate() {
            figures.append(
                Figure(
                    name: "real: 100k no-op submit→result (1×2 threads)", unit: "tasks/s",
                    value: clusterRate, baselineName: "Python ThreadPoolExecutor(2)",
                    baseline: python))
        } else {
            print("(python3 not found: no ThreadPoolExecutor baseline)")
        }
        figures.append(
            Figure(
                name: "real: 100k no-op submit→result (1×2 threads)", unit: "tasks/s",
                value: clusterRate, baselineName: "the same program, simulated",
                baseline: simulatedRate()))
        if let control = best.control {
            // Near the wall time, the control thread is what limits the run.
            figures.append(
                Figure(
                    name: "  control thread's processor time a task", unit: "µs",
                    value: seconds(control) * 1e6 / Double(tasks),
                    baselineName: "wall-clock time a task",
                    baseline: seconds(best.wall) * 1e6 / Double(tasks), digits: 2))
        }
        figures.append(
            Figure(
                name: "real: 100k no-op submit→result (1×2 threads)", unit: "tasks/s",
                value: clusterRate, baselineName: "scheduler alone, same tasks",
                baseline: SchedulerAlone.independentRate(
                    name: "noop", count: tasks, workers: 1, threads: 2)))
        return figures
    }

    /// Submits the no-ops one by one and waits for each result; the control thread's
    /// processor time, read before the cluster stops.
    private static func submitAndWait() -> Duration? {
        // As an executor: no modelled delays, so no batching intervals either (with dask's,
        // each no-op waits for its streams, as on dask), and no trace (as the simulation's
        // figures run without keeping one).
        var configuration = ThreadConfiguration(keepsTrace: false)
        configuration.batching = .none
        let cluster = ThreadCluster(
            configuration: configuration, workers: [WorkerSetup(name: "w", threads: 2)])
        runProgram(on: cluster)
        let control = cluster.controlCPUTime
        cluster.shutdown()
        return control
    }

    /// The same client program on a simulated cluster of the same shape, run to each result:
    /// what the code both modes share costs a task, without threads.
    private static func simulatedRate() -> Double {
        bestRate(operations: tasks, repetitions: 3) {
            var configuration = SimulationConfiguration(
                seed: 1, policy: "locality", checksInvariants: false, keepsTrace: false)
            configuration.cluster.batching = .none
            let cluster = SimulatedCluster(
                configuration: configuration, workers: [WorkerSetup(name: "w", threads: 2)])
            runProgram(on: cluster)
        }
    }

    /// The client program of both: each no-op submitted on its own, then each result.
    private static func runProgram(on cluster: any ClusterBackend) {
        let client = Client(cluster)
        let futures = (0..<tasks).map { index in client.submit("noop", index) { $0 } }
        var sum = 0
        for future in futures { sum &+= try! future.result() }
        keep(sum)
    }

    /// The floor: closures through one mutex-and-condition queue to two threads, each
    /// result written back under a lock, the caller waiting for all.
    private static func bareQueue() -> Int {
        final class Queue: @unchecked Sendable {
            let condition = NSCondition()
            var jobs = Deque<Int>()
            var results = [Int](repeating: 0, count: ThreadBenchmarks.tasks)
            var done = 0
            var stopped = false
        }
        let queue = Queue()
        let threads = (0..<2).map { _ in
            Thread {
                while true {
                    queue.condition.lock()
                    while queue.jobs.isEmpty && !queue.stopped { queue.condition.wait() }
                    guard let job = queue.jobs.popFirst() else {
                        queue.condition.unlock()
                        return
                    }
                    queue.condition.unlock()
                    let value = job &* 2
                    queue.condition.lock()
                    queue.results[job] = value
                    queue.done += 1
                    queue.condition.broadcast()
                    queue.condition.unlock()
                }
            }
        }
        threads.forEach { $0.start() }
        for job in 0..<tasks {
            queue.condition.lock()
            queue.jobs.append(job)
            queue.condition.signal()
            queue.condition.unlock()
        }
        queue.condition.lock()
        while queue.done < tasks { queue.condition.wait() }
        queue.stopped = true
        queue.condition.broadcast()
        queue.condition.unlock()
        return queue.results.reduce(0, &+)
    }

    /// Python's ThreadPoolExecutor with two threads on the same work, best of three; `nil`
    /// when python3 is not there.
    private static func pythonThreadPoolRate() -> Double? {
        let script = """
            import time
            from concurrent.futures import ThreadPoolExecutor
            best = 0.0
            for _ in range(3):
                with ThreadPoolExecutor(max_workers=2) as pool:
                    start = time.perf_counter()
                    futures = [pool.submit(lambda x: x, i) for i in range(\(tasks))]
                    total = sum(f.result() for f in futures)
                    best = max(best, \(tasks) / (time.perf_counter() - start))
            print(best)
            """
        return pythonFigures(["-c", script])?.first
    }
}
