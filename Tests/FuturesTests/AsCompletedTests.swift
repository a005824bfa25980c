import Futures
import Testing

extension AsCompleted {
    /// Everything it yields until it ends or throws.
    func drain() throws -> [Element] {
        var yielded: [Element] = []
        while let next = try next() { yielded.append(next) }
        return yielded
    }
}

/// CPython's test_as_completed, with this project's rule that a cancelled future is done at once.
@Suite struct AsCompletedTests {
    /// test_no_timeout: done ones first in the order given, then the others.
    @Test func noTimeout() throws {
        let (_, cancelled) = Fixture.cancelled.make()
        let (_, failed) = Fixture.failed.make()
        let (_, finished) = Fixture.finished.make()
        let (p1, f1) = Fixture.pending.make()
        let (p2, f2) = Fixture.running.make()
        onAnotherThread {
            try! p1.succeed(42)
            try! p2.succeed(42)
        }
        let yielded = try asCompleted([cancelled, failed, finished, f1, f2]).drain()
        #expect(Array(yielded.prefix(3)) == [cancelled, failed, finished])
        #expect(Set(yielded) == [cancelled, failed, finished, f1, f2])
        #expect(yielded.count == 5)
    }

    /// test_future_times_out, for a zero and a short timeout.
    @Test(arguments: [Duration.zero, .milliseconds(100)])
    func futureTimesOut(timeout: Duration) throws {
        let (_, cancelled) = Fixture.cancelled.make()
        let (_, failed) = Fixture.failed.make()
        let (_, finished) = Fixture.finished.make()
        let (_, slow) = Fixture.running.make()
        let completed = asCompleted([cancelled, failed, finished, slow], timeout: timeout)
        var yielded: [Future<Int>] = []
        let error = #expect(throws: TimeoutError.self) {
            while let next = try completed.next() { yielded.append(next) }
        }
        #expect(yielded == [cancelled, failed, finished])
        #expect(error?.description == "1 (of 4) futures unfinished")
        #expect(try completed.next() == nil)
    }

    /// test_duplicate_futures
    @Test func duplicatesYieldOnce() throws {
        let (p, f) = Fixture.running.make()
        onAnotherThread { try! p.succeed(1) }
        #expect(try asCompleted([f, f, f]).drain() == [f])
    }

    /// test_correct_timeout_exception_msg
    @Test func timeoutMessage() {
        let futures = [Fixture.cancelled, .pending, .running, .finished].map { $0.make().1 }
        let error = #expect(throws: TimeoutError.self) {
            _ = try asCompleted(futures, timeout: .zero).drain()
        }
        #expect(error?.description == "2 (of 4) futures unfinished")
        #expect(error?.unfinished == 2 && error?.total == 4)
    }

    /// test_free_reference_yielded_future: nothing of a yielded future is kept.
    @Test func keepsNoReferenceToYieldedFutures() throws {
        var futures = (0..<4).map { _ in Fixture.finished.make().1 }
        let completed = asCompleted(futures)
        while let next = try completed.next() {
            weak let weakly = next
            futures.removeAll { $0 === next }
            _ = consume next
            #expect(weakly == nil)
        }
        #expect(futures.isEmpty)
    }

    /// Futures not done at the call are yielded in the order they complete.
    @Test func completionOrder() throws {
        let clock = ScriptedWaitStrategy()
        let made = (0..<3).map { _ in Fixture.pending.make(strategy: clock) }
        for (order, index) in [2, 0, 1].enumerated() {
            clock.schedule(at: .seconds(order + 1)) { try! made[index].0.succeed(index) }
        }
        let yielded = try asCompleted(made.map(\.1)).drain()
        #expect(yielded == [made[2].1, made[0].1, made[1].1])
        #expect(clock.now == .seconds(3))
    }

    /// The deadline is fixed at the call, not per item.
    @Test func deadlineIsFixedAtTheCall() throws {
        let clock = ScriptedWaitStrategy()
        let (p1, f1) = Fixture.pending.make(strategy: clock)
        let (p2, f2) = Fixture.pending.make(strategy: clock)
        clock.schedule(at: .seconds(3)) { try! p1.succeed(1) }
        clock.schedule(at: .seconds(6)) { try! p2.succeed(2) }
        let completed = asCompleted([f1, f2], timeout: .seconds(5))
        #expect(try completed.next() == f1)
        #expect(throws: TimeoutError.self) { try completed.next() }
        #expect(clock.now == .seconds(5))
    }

    @Test func futuresOfDifferentValueTypes() throws {
        let number = Promise<Int>()
        let text = Promise<String>()
        try text.succeed("done")
        onAnotherThread { try! number.succeed(1) }
        let yielded = try asCompleted([number.future, text.future] as [any Waitable]).drain()
        #expect(yielded.count == 2)
        #expect(yielded[0] === text.future && yielded[1] === number.future)
    }
}
