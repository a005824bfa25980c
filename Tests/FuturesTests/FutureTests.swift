import Futures
import Testing

/// The consumer API in every state (CPython's FutureTests), plus dask's `lost`.
@Suite struct FutureTests {
    /// test_cancel
    @Test(arguments: Fixture.allCases)
    func cancel(in fixture: Fixture) {
        let (_, future) = fixture.make()
        let expected: [Fixture: (Bool, FutureStatus)] = [
            .pending: (true, .cancelled), .running: (false, .running),
            .finished: (false, .finished), .failed: (false, .error),
            .cancelled: (true, .cancelled), .lost: (true, .cancelled),
        ]
        #expect(future.cancel() == expected[fixture]!.0)
        #expect(future.status == expected[fixture]!.1)
    }

    /// test_cancelled, test_done, test_running
    @Test(arguments: Fixture.allCases)
    func queries(in fixture: Fixture) {
        let (_, future) = fixture.make()
        #expect(future.status == fixture.status)
        #expect(future.isCancelled == (fixture == .cancelled))
        #expect(future.isRunning == (fixture == .running))
        #expect(future.isDone == [.finished, .failed, .cancelled].contains(fixture))
    }

    /// test_result_with_timeout
    @Test(arguments: Fixture.allCases)
    func resultWithZeroTimeout(in fixture: Fixture) throws {
        let (_, future) = fixture.make()
        switch fixture {
        case .pending, .running, .lost:
            #expect(throws: TimeoutError.self) { try future.result(timeout: .zero) }
        case .cancelled:
            #expect(throws: CancelledError.self) { try future.result(timeout: .zero) }
        case .failed:
            #expect(throws: WorkError(code: 1)) { try future.result(timeout: .zero) }
        case .finished:
            #expect(try future.result(timeout: .zero) == 42)
        }
    }

    /// test_exception_with_timeout
    @Test(arguments: Fixture.allCases)
    func exceptionWithZeroTimeout(in fixture: Fixture) throws {
        let (_, future) = fixture.make()
        switch fixture {
        case .pending, .running, .lost:
            #expect(throws: TimeoutError.self) { try future.exception(timeout: .zero) }
        case .cancelled:
            #expect(throws: CancelledError.self) { try future.exception(timeout: .zero) }
        case .failed:
            #expect(try future.exception(timeout: .zero) as? WorkError == WorkError(code: 1))
        case .finished:
            #expect(try future.exception(timeout: .zero) == nil)
        }
    }

    @Test func negativeTimeoutOnlyLooks() throws {
        #expect(throws: TimeoutError.self) {
            try Fixture.pending.make().1.result(timeout: .seconds(-1))
        }
        #expect(try Fixture.finished.make().1.result(timeout: .seconds(-1)) == 42)
    }

    /// test_result_with_success
    @Test func resultWaitsForAnotherThread() throws {
        let (promise, future) = Fixture.pending.make()
        onAnotherThread { try! promise.succeed(42) }
        #expect(try future.result(timeout: .seconds(30)) == 42)
    }

    /// test_result_with_cancel
    @Test func resultSeesACancelFromAnotherThread() throws {
        let (_, future) = Fixture.pending.make()
        onAnotherThread { future.cancel() }
        #expect(throws: CancelledError.self) { try future.result(timeout: .seconds(30)) }
    }

    /// test_exception_with_success
    @Test func exceptionWaitsForAnotherThread() throws {
        let (promise, future) = Fixture.running.make()
        onAnotherThread { try! promise.fail(WorkError(code: 5)) }
        #expect(try future.exception(timeout: .seconds(30)) as? WorkError == WorkError(code: 5))
    }

    @Test func resultTimesOutWhileNothingHappens() {
        let (_, future) = Fixture.running.make()
        #expect(throws: TimeoutError.self) { try future.result(timeout: .milliseconds(20)) }
        #expect(future.status == .running)
    }

    /// The stored error comes back as the same object, not a copy.
    @Test func resultRethrowsTheSameErrorObject() throws {
        final class Boom: Error {}
        let boom = Boom()
        let (promise, future) = Fixture.pending.make()
        try promise.fail(boom)
        do {
            _ = try future.result()
            Issue.record("result() returned")
        } catch {
            #expect((error as? Boom) === boom)
        }
    }

    /// A lost future is not done and `result()` waits for its recomputation.
    @Test func resultWaitsThroughLost() throws {
        let (promise, future) = Fixture.lost.make()
        #expect(!future.isDone)
        onAnotherThread {
            try! promise.requeue()
            _ = try! promise.markRunning()
            try! promise.succeed(43)
        }
        #expect(try future.result(timeout: .seconds(30)) == 43)
    }

    /// test_repr, in this project's form.
    @Test func descriptions() {
        #expect(Fixture.pending.make().1.description == "Future<Int>(pending)")
        #expect(Fixture.running.make().1.description == "Future<Int>(running)")
        #expect(Fixture.cancelled.make().1.description == "Future<Int>(cancelled)")
        #expect(Fixture.lost.make().1.description == "Future<Int>(lost)")
        #expect(Fixture.failed.make().1.description == "Future<Int>(error, raised WorkError)")
        #expect(Fixture.finished.make().1.description == "Future<Int>(finished, returned Int)")
    }

    @Test func equalityIsIdentity() {
        let a = Fixture.finished.make().1
        let b = Fixture.finished.make().1
        #expect(a == a)
        #expect(a != b)
        #expect(Set([a, a, b]).count == 2)
    }

    /// The waiting strategy is what blocking calls go through: on a virtual clock a timeout
    /// passes without any real time passing, and a result scripted at 5 s arrives at 5 s.
    @Test func blockingCallsGoThroughTheWaitStrategy() throws {
        let clock = ScriptedWaitStrategy()
        let (promise, future) = Fixture.pending.make(strategy: clock)
        #expect(throws: TimeoutError.self) { try future.result(timeout: .seconds(3600)) }
        #expect(clock.now == .seconds(3600))
        clock.schedule(at: .seconds(3605)) { try! promise.succeed(5) }
        #expect(try future.result(timeout: .seconds(10)) == 5)
        #expect(clock.now == .seconds(3605))
    }

    /// A call waiting for the result is woken when the future is done, not when its work
    /// starts: a start cannot end the wait.
    @Test func resultIsWokenOnlyByCompletion() throws {
        let clock = ScriptedWaitStrategy()
        let (promise, future) = Fixture.pending.make(strategy: clock)
        clock.schedule(at: .seconds(1)) { _ = try! promise.markRunning() }
        clock.schedule(at: .seconds(2)) { try! promise.succeed(5) }
        #expect(try future.result() == 5)
        #expect(clock.notices == 1)
    }
}
