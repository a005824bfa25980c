import Dispatch
@_spi(Locking) import Futures
import Testing

/// Many threads resolving, cancelling, waiting and adding callbacks on shared futures.
/// Counts per index, from any thread.
final class Counters: Sendable {
    private let counts: Locked<[Int]>
    init(_ size: Int) { counts = Locked(Array(repeating: 0, count: size)) }
    func add(_ index: Int) { counts.withLock { $0[index] += 1 } }
    subscript(index: Int) -> Int { counts.withLock { $0[index] } }
}

@Suite struct StressTests {
    /// A small seeded generator (SplitMix64) so every thread's choices are reproducible.
    struct SplitMix64 {
        var state: UInt64
        mutating func next(below bound: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(bound))
        }
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func everyFutureEndsOnceAndEveryCallbackRunsOnce(seed: UInt64) {
        let futureCount = 400
        let threads = 8
        let promises = (0..<futureCount).map { _ in Promise<Int>() }
        let callbackRuns = Counters(futureCount)
        let callbacksAdded = Counters(futureCount)
        let successfulSets = Counters(futureCount)
        let firstSeenDone = Log<(Int, FutureStatus)>()
        for (index, promise) in promises.enumerated() {
            promise.future.addDoneCallback { firstSeenDone.append((index, $0.status)) }
        }

        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            var random = SplitMix64(state: seed &* 1_000 &+ UInt64(thread))
            for step in 0..<(futureCount * 6) {
                let index = random.next(below: futureCount)
                let promise = promises[index]
                let future = promise.future
                switch random.next(below: 8) {
                case 0:
                    if (try? promise.succeed(step)) != nil { successfulSets.add(index) }
                case 1:
                    if (try? promise.fail(WorkError(code: step))) != nil {
                        successfulSets.add(index)
                    }
                case 2:
                    _ = future.cancel()
                case 3:
                    _ = try? promise.markRunning()
                case 4:
                    callbacksAdded.add(index)
                    future.addDoneCallback { _ in callbackRuns.add(index) }
                case 5:
                    _ = try? future.result(timeout: .microseconds(50))
                case 6:
                    let others = (0..<3).map { _ in promises[random.next(below: futureCount)].future
                    }
                    _ = wait(others, timeout: .microseconds(50), returnWhen: .firstCompleted)
                default:
                    _ = promise.forceCancel()
                }
            }
        }
        // Finish whatever is still open, then check each future's history.
        for promise in promises where !promise.future.isDone { _ = promise.forceCancel() }
        let seen = firstSeenDone.all
        #expect(seen.map(\.0).sorted() == Array(0..<futureCount), "one terminal transition each")
        for (index, status) in seen {
            let future = promises[index].future
            #expect(future.status == status, "future \(index) changed after it was done")
            #expect(callbackRuns[index] == callbacksAdded[index])
            #expect(successfulSets[index] == (status == .cancelled ? 0 : 1))
        }
    }

    /// Waiters on many threads all see the one completion.
    @Test func manyWaitersOneCompletion() {
        let promise = Promise<Int>()
        let seen = Counters(1)
        onAnotherThread(after: .milliseconds(10)) { try! promise.succeed(7) }
        DispatchQueue.concurrentPerform(iterations: 16) { _ in
            if (try? promise.future.result(timeout: .seconds(60))) == 7 {
                seen.add(0)
            }
        }
        #expect(seen[0] == 16)
    }
}
