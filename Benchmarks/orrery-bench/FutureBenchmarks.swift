@_spi(Locking) import Futures

enum FutureBenchmarks {
    static func run() -> [Figure] {
        let cycles = 2_000_000
        let futureRate = bestRate(operations: cycles) {
            var sum = 0
            for index in 0..<cycles {
                let promise = Promise<Int>()
                try! promise.succeed(index)
                sum &+= try! promise.future.result()
            }
            keep(sum)
        }
        // The floor a future cycle is measured against: one allocation of a locked cell,
        // written and read under its lock.
        let cellRate = bestRate(operations: cycles) {
            var sum = 0
            for index in 0..<cycles {
                let cell = Locked(0)
                cell.withLock { $0 = index }
                sum &+= cell.withLock { $0 }
            }
            keep(sum)
        }

        let callbacks = 1_000_000
        let perFuture = 10
        let callbackRate = bestRate(operations: callbacks) {
            let counter = Locked(0)
            for _ in 0..<(callbacks / perFuture) {
                let promise = Promise<Int>()
                for _ in 0..<perFuture {
                    promise.future.addDoneCallback { _ in counter.withLock { $0 &+= 1 } }
                }
                try! promise.succeed(1)
            }
            keep(counter.withLock { $0 })
        }
        let closureRate = bestRate(operations: callbacks) {
            let counter = Locked(0)
            for _ in 0..<(callbacks / perFuture) {
                var closures: [@Sendable () -> Void] = []
                for _ in 0..<perFuture { closures.append { counter.withLock { $0 &+= 1 } } }
                for closure in closures { closure() }
            }
            keep(counter.withLock { $0 })
        }

        return [
            Figure(
                name: "future create+resolve+read", unit: "cycles/s", value: futureRate,
                baselineName: "alloc+lock+write+read", baseline: cellRate),
            Figure(
                name: "done-callback dispatch (cost per callback)", unit: "ns",
                value: 1e9 / callbackRate, baselineName: "closure array append+call",
                baseline: 1e9 / closureRate),
        ] + WaitBenchmarks.run()
    }
}
