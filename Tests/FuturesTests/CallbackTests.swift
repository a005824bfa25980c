@_spi(Locking) import Futures
import Testing

/// Records what callbacks saw, in order, from any thread.
final class Log<Entry: Sendable>: Sendable {
    private let entries = Locked<[Entry]>([])
    func append(_ entry: Entry) { entries.withLock { $0.append(entry) } }
    var all: [Entry] { entries.withLock { $0 } }
}

@Suite struct CallbackTests {
    /// test_done_callback_with_result
    @Test func runsWithTheResult() throws {
        let (promise, future) = Fixture.pending.make()
        let log = Log<Int>()
        future.addDoneCallback { log.append(try $0.result()) }
        #expect(log.all.isEmpty)
        try promise.succeed(5)
        #expect(log.all == [5])
    }

    /// test_done_callback_with_exception
    @Test func runsWithTheError() throws {
        let (promise, future) = Fixture.pending.make()
        let log = Log<Int>()
        future.addDoneCallback { log.append((try $0.exception() as? WorkError)?.code ?? -1) }
        try promise.fail(WorkError(code: 3))
        #expect(log.all == [3])
    }

    /// test_done_callback_with_cancel
    @Test func runsOnCancel() {
        let (_, future) = Fixture.pending.make()
        let log = Log<Bool>()
        future.addDoneCallback { log.append($0.isCancelled) }
        #expect(future.cancel())
        #expect(log.all == [true])
    }

    /// test_done_callback_raises: the failure is reported and the next callback still runs.
    @Test func oneFailureDoesNotStopTheRest() throws {
        let (promise, future) = Fixture.pending.make()
        let log = Log<String>()
        future.addDoneCallback { _ in
            log.append("first")
            throw WorkError(code: 0)
        }
        future.addDoneCallback { _ in log.append("second") }
        try promise.succeed(5)
        #expect(log.all == ["first", "second"])
    }

    /// test_done_callback_already_successful / _failed / _cancelled /
    /// test_done_callback_raises_already_succeeded
    @Test(arguments: [Fixture.finished, .failed, .cancelled])
    func runsAtOnceWhenAlreadyDone(fixture: Fixture) {
        let (_, future) = fixture.make()
        let log = Log<FutureStatus>()
        future.addDoneCallback { _ in throw WorkError(code: 0) }
        future.addDoneCallback { log.append($0.status) }
        #expect(log.all == [fixture.status])
    }

    @Test(arguments: [Fixture.pending, .running, .lost])
    func waitsWhileNotDone(fixture: Fixture) {
        let (_, future) = fixture.make()
        let log = Log<Int>()
        future.addDoneCallback { _ in log.append(1) }
        #expect(log.all.isEmpty)
    }

    @Test func runInRegistrationOrderExactlyOnce() throws {
        let (promise, future) = Fixture.pending.make()
        let log = Log<Int>()
        for index in 0..<10 { future.addDoneCallback { _ in log.append(index) } }
        _ = try promise.markRunning()
        #expect(log.all.isEmpty)
        try promise.succeed(1)
        #expect(throws: InvalidStateError.self) { try promise.succeed(2) }
        _ = future.cancel()
        #expect(log.all == Array(0..<10))
    }

    /// A callback that adds a callback: the new one runs at once, before the later ones.
    @Test func nestedRegistrationRunsImmediately() throws {
        let (promise, future) = Fixture.pending.make()
        let log = Log<String>()
        future.addDoneCallback { _ in log.append("1") }
        future.addDoneCallback { future in
            log.append("2")
            future.addDoneCallback { _ in log.append("nested") }
        }
        future.addDoneCallback { _ in log.append("3") }
        try promise.succeed(0)
        #expect(log.all == ["1", "2", "nested", "3"])
    }

    /// Callbacks ran at the first finish; losing and recomputing the value does not run them
    /// again, but one added while lost runs at the recomputed finish.
    @Test func lostAndRecomputedDoesNotRepeatCallbacks() throws {
        let (promise, future) = Fixture.pending.make()
        let log = Log<String>()
        future.addDoneCallback { _ in log.append("first") }
        try promise.succeed(1)
        try promise.markLost()
        future.addDoneCallback { _ in log.append("while lost") }
        #expect(log.all == ["first"])
        try promise.requeue()
        try promise.succeed(2)
        #expect(log.all == ["first", "while lost"])
    }

    @Test func forcedCancelRunsCallbacks() {
        let (promise, future) = Fixture.running.make()
        let log = Log<FutureStatus>()
        future.addDoneCallback { log.append($0.status) }
        #expect(promise.forceCancel())
        #expect(log.all == [.cancelled])
    }
}
