import Futures

/// Waiting on many futures that are already done, as a program gathering results does:
/// `wait(…, .allCompleted)` and draining `asCompleted`, beside CPython's
/// `concurrent.futures.wait` and `as_completed` on the same work, measured in the same run.
enum WaitBenchmarks {
    static let count = 1_000
    static let rounds = 2_000

    static func run() -> [Figure] {
        let futures = (0..<count).map { index -> Future<Int> in
            let promise = Promise<Int>()
            try! promise.succeed(index)
            return promise.future
        }
        let waitRate = bestRate(operations: count * rounds, repetitions: 3) {
            var done = 0
            for _ in 0..<rounds { done &+= wait(futures).done.count }
            keep(done)
        }
        let drainRate = bestRate(operations: count * rounds, repetitions: 3) {
            var done = 0
            for _ in 0..<rounds {
                let completed = asCompleted(futures)
                while (try? completed.next()) != nil { done &+= 1 }
            }
            keep(done)
        }
        guard let python = pythonRates() else {
            print("(python3 not found: no concurrent.futures baseline)")
            return []
        }
        return [
            Figure(
                name: "wait, 1,000 done futures", unit: "futures/s", value: waitRate,
                baselineName: "CPython concurrent.futures.wait", baseline: python.wait),
            Figure(
                name: "asCompleted drained, 1,000 done futures", unit: "futures/s",
                value: drainRate, baselineName: "CPython as_completed", baseline: python.drain),
        ]
    }

    /// CPython's rates (futures a second) for the same two loops, best of three.
    private static func pythonRates() -> (wait: Double, drain: Double)? {
        let script = """
            import time
            from concurrent.futures import Future, wait, as_completed
            futures = []
            for i in range(\(count)):
                f = Future()
                f.set_result(i)
                futures.append(f)
            def rate(body):
                best = 0.0
                for _ in range(3):
                    start = time.perf_counter()
                    for _ in range(200):
                        body()
                    best = max(best, 200 * \(count) / (time.perf_counter() - start))
                return best
            print(rate(lambda: wait(futures)), rate(lambda: sum(1 for _ in as_completed(futures))))
            """
        guard let rates = pythonFigures(["-c", script]), rates.count == 2 else { return nil }
        return (rates[0], rates[1])
    }
}
