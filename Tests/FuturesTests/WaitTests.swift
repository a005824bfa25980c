import Futures
import Testing

/// CPython's test_wait, with this project's rule that a cancelled future is done at once.
@Suite struct WaitTests {
    /// test_20369
    @Test func duplicatesCountOnce() throws {
        let (_, f) = Fixture.finished.make()
        let result = wait([f, f], returnWhen: .allCompleted)
        #expect(result.done == [f])
        #expect(result.notDone.isEmpty)
    }

    @Test func emptyReturnsAtOnce() {
        let result = wait([Future<Int>](), returnWhen: .allCompleted)
        #expect(result.done.isEmpty && result.notDone.isEmpty)
    }

    /// test_first_completed
    @Test func firstCompleted() throws {
        let (p1, f1) = Fixture.pending.make()
        let (_, f2) = Fixture.running.make()
        onAnotherThread { try! p1.succeed(42) }
        let result = wait([f1, f2], timeout: .seconds(30), returnWhen: .firstCompleted)
        #expect(result.done == [f1])
        #expect(result.notDone == [f2])
    }

    /// test_first_completed_some_already_completed (a cancelled future is done at once here)
    @Test func firstCompletedSomeAlreadyCompleted() {
        let (_, cancelled) = Fixture.cancelled.make()
        let (_, finished) = Fixture.finished.make()
        let (_, f1) = Fixture.running.make()
        let result = wait([cancelled, finished, f1], returnWhen: .firstCompleted)
        #expect(result.done == [cancelled, finished])
        #expect(result.notDone == [f1])
    }

    /// test_first_exception
    @Test func firstException() {
        let (p1, f1) = Fixture.pending.make()
        let (p2, f2) = Fixture.running.make()
        let (_, f3) = Fixture.running.make()
        onAnotherThread {
            try! p1.succeed(42)
            try! p2.fail(WorkError(code: 2))
        }
        let result = wait([f1, f2, f3], timeout: .seconds(30), returnWhen: .firstException)
        #expect(result.done == [f1, f2])
        #expect(result.notDone == [f3])
    }

    /// test_first_exception_some_already_complete
    @Test func firstExceptionSomeAlreadyComplete() {
        let (_, finished) = Fixture.finished.make()
        let (_, cancelled) = Fixture.cancelled.make()
        let (p1, f1) = Fixture.running.make()
        let (_, f2) = Fixture.running.make()
        onAnotherThread { try! p1.fail(WorkError(code: 3)) }
        let result = wait(
            [finished, cancelled, f1, f2], timeout: .seconds(30), returnWhen: .firstException)
        #expect(result.done == [finished, cancelled, f1])
        #expect(result.notDone == [f2])
    }

    /// test_first_exception_one_already_failed
    @Test func firstExceptionOneAlreadyFailed() {
        let (_, failed) = Fixture.failed.make()
        let (_, f1) = Fixture.running.make()
        let result = wait([failed, f1], returnWhen: .firstException)
        #expect(result.done == [failed])
        #expect(result.notDone == [f1])
    }

    /// A cancellation is not an exception: with only cancellations, firstException waits for all.
    @Test func firstExceptionIgnoresCancellations() {
        let (_, cancelled) = Fixture.cancelled.make()
        let (p1, f1) = Fixture.running.make()
        onAnotherThread { try! p1.succeed(1) }
        let result = wait([cancelled, f1], timeout: .seconds(30), returnWhen: .firstException)
        #expect(result.done == [cancelled, f1])
    }

    /// test_all_completed
    @Test func allCompleted() {
        let (_, finished) = Fixture.finished.make()
        let (_, cancelled) = Fixture.cancelled.make()
        let (_, failed) = Fixture.failed.make()
        let (p1, f1) = Fixture.pending.make()
        let (p2, f2) = Fixture.pending.make()
        onAnotherThread {
            try! p1.fail(WorkError(code: 0))
            try! p2.succeed(42)
        }
        let all = [finished, cancelled, failed, f1, f2]
        let result = wait(all, timeout: .seconds(30), returnWhen: .allCompleted)
        #expect(result.done == all)
        #expect(result.notDone.isEmpty)
    }

    /// test_timeout: a timeout returns what was done, it does not throw.
    @Test func timeoutReturnsWhatWasDone() {
        let (_, cancelled) = Fixture.cancelled.make()
        let (_, failed) = Fixture.failed.make()
        let (_, finished) = Fixture.finished.make()
        let (_, f) = Fixture.running.make()
        let result = wait(
            [cancelled, failed, finished, f], timeout: .milliseconds(50), returnWhen: .allCompleted)
        #expect(result.done == [cancelled, failed, finished])
        #expect(result.notDone == [f])
    }

    @Test func lostIsNotDone() {
        let (_, lost) = Fixture.lost.make()
        let result = wait([lost], timeout: .zero, returnWhen: .firstCompleted)
        #expect(result.notDone == [lost])
    }

    @Test func futuresOfDifferentValueTypes() throws {
        let number = Promise<Int>()
        let text = Promise<String>()
        onAnotherThread {
            try! number.succeed(1)
            try! text.succeed("one")
        }
        let watched: [any Waitable] = [number.future, text.future]
        let result = wait(watched, timeout: .seconds(30), returnWhen: .allCompleted)
        #expect(result.done.count == 2)
        #expect(result.done[0] === number.future && result.done[1] === text.future)
    }

    /// test_pending_calls_race: many completions racing the wait lose no notice.
    @Test func manyConcurrentCompletions() {
        let promises = (0..<100).map { _ in Promise<Int>() }
        for (index, promise) in promises.enumerated() {
            onAnotherThread(after: .milliseconds(index % 7)) { try! promise.succeed(index) }
        }
        let result = wait(promises.map(\.future), timeout: .seconds(60), returnWhen: .allCompleted)
        #expect(result.done.count == 100)
    }

    /// A waiter first watches for a moment, then sleeps: a completion seen while it watches
    /// and one that comes after it fell asleep both count, and a timeout shorter than the
    /// watch still ends the wait.
    @Test func completionsBeforeAndAfterTheWaiterSleeps() {
        let (p1, f1) = Fixture.pending.make()
        let (p2, f2) = Fixture.pending.make()
        onAnotherThread(after: .zero) { try! p1.succeed(1) }
        onAnotherThread(after: .milliseconds(20)) { try! p2.succeed(2) }
        let short = wait([f2], timeout: .microseconds(10), returnWhen: .allCompleted)
        #expect(short.notDone == [f2])
        let result = wait([f1, f2], timeout: .seconds(30), returnWhen: .allCompleted)
        #expect(result.done == [f1, f2])
    }

    /// On a virtual clock the timeout is virtual: a completion scripted inside it is seen,
    /// one scripted after it is not, and no real time passes.
    @Test func virtualTimeout() {
        let clock = ScriptedWaitStrategy()
        let (p1, f1) = Fixture.pending.make(strategy: clock)
        let (p2, f2) = Fixture.pending.make(strategy: clock)
        clock.schedule(at: .seconds(2)) { try! p1.succeed(1) }
        clock.schedule(at: .seconds(9)) { try! p2.succeed(2) }
        let result = wait([f1, f2], timeout: .seconds(5), returnWhen: .allCompleted)
        #expect(result.done == [f1])
        #expect(result.notDone == [f2])
        #expect(clock.now == .seconds(5))
    }

    /// Many futures, each given twice, half done: each counts once, in the order first
    /// given, whether the first look settles the wait or it has to watch.
    @Test func manyDuplicatesCountOnceInOrder() throws {
        let made = (0..<300).map { index in
            (index % 2 == 0 ? Fixture.finished : Fixture.pending).make()
        }
        let futures = made.map(\.1)
        let given = futures + futures.reversed()
        let first = wait(given, returnWhen: .firstCompleted)
        #expect(first.done == futures.enumerated().filter { $0.offset % 2 == 0 }.map(\.element))
        #expect(first.notDone == futures.enumerated().filter { $0.offset % 2 == 1 }.map(\.element))
        onAnotherThread {
            for (index, (promise, _)) in made.enumerated() where index % 2 == 1 {
                try! promise.succeed(index)
            }
        }
        let all = wait(given, timeout: .seconds(30), returnWhen: .allCompleted)
        #expect(all.done == futures && all.notDone.isEmpty)
        let yielded = try asCompleted(given).drain()
        #expect(yielded.count == futures.count && Set(yielded) == Set(futures))
    }
}
