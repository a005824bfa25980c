@testable import Futures
import Testing

/// Timeouts whose deadline lies past the clock's range: a huge one means no limit, a hugely
/// negative one means "only look", and neither traps.
@Suite struct ExtremeTimeoutTests {
    static let huge: [Duration] = [.seconds(10_000_000_000), .seconds(Int64.max)]
    static let negative: [Duration] = [.seconds(-10_000_000_000), .seconds(-Int64.max)]

    @Test func nanosecondsSaturate() {
        #expect(Duration.seconds(Int64.max).nanoseconds == .max)
        #expect(Duration.seconds(-Int64.max).nanoseconds == .min)
        #expect(Duration.seconds(9_223_372_036).nanoseconds == 9_223_372_036_000_000_000)
        #expect(Duration.milliseconds(-5).nanoseconds == -5_000_000)
        #expect(WallClock.deadline(after: .seconds(Int64.max)) == nil)
        #expect(WallClock.deadline(after: .seconds(-Int64.max))! < WallClock.now)
    }

    @Test(arguments: huge)
    func hugeTimeoutWaitsForTheResult(timeout: Duration) throws {
        let (promise, future) = Fixture.running.make()
        onAnotherThread {
            try! promise.succeed(42)
        }
        #expect(try future.result(timeout: timeout) == 42)
    }

    @Test(arguments: huge)
    func hugeTimeoutInWaitAndAsCompleted(timeout: Duration) throws {
        let (first, a) = Fixture.pending.make()
        let (second, b) = Fixture.running.make()
        onAnotherThread {
            try! first.succeed(1)
            try! second.succeed(2)
        }
        let result = wait([a, b], timeout: timeout, returnWhen: .allCompleted)
        #expect(result.notDone.isEmpty)
        #expect(Set(try asCompleted([a, b], timeout: timeout).drain()) == [a, b])
    }

    @Test(arguments: negative)
    func negativeTimeoutOnlyLooks(timeout: Duration) throws {
        let (_, finished) = Fixture.finished.make()
        let (_, running) = Fixture.running.make()
        #expect(try finished.result(timeout: timeout) == 42)
        #expect(throws: TimeoutError.self) { try running.result(timeout: timeout) }
        let result = wait([finished, running], timeout: timeout, returnWhen: .allCompleted)
        #expect(result.done == [finished])
        #expect(result.notDone == [running])
        let completed = asCompleted([finished, running], timeout: timeout)
        #expect(try completed.next() == finished)
        #expect(throws: TimeoutError.self) { try completed.next() }
    }
}
