import Futures
import Testing

@Suite struct AsyncValueTests {
    @Test func awaitsTheValue() async throws {
        let (promise, future) = Fixture.pending.make()
        onAnotherThread { try! promise.succeed(42) }
        #expect(try await future.value == 42)
    }

    @Test func rethrowsTheErrorAndCancellation() async {
        await #expect(throws: WorkError(code: 1)) { try await Fixture.failed.make().1.value }
        await #expect(throws: CancelledError.self) { try await Fixture.cancelled.make().1.value }
    }

    @Test func valueOfADoneFutureNeedsNoWait() async throws {
        #expect(try await Fixture.finished.make().1.value == 42)
    }

    /// Cancelling the awaiting task stops its wait; the future goes on and still completes.
    @Test func cancellingTheAwaitingTaskLeavesTheFutureAlone() async throws {
        let (promise, future) = Fixture.running.make()
        let awaiting = Task { try await future.value }
        awaiting.cancel()
        await #expect(throws: CancellationError.self) { try await awaiting.value }
        #expect(future.status == .running)
        try promise.succeed(3)
        #expect(try await future.value == 3)
    }

    @Test func lostWaitsForRecomputation() async throws {
        let (promise, future) = Fixture.lost.make()
        onAnotherThread {
            try! promise.requeue()
            try! promise.succeed(44)
        }
        #expect(try await future.value == 44)
    }
}
