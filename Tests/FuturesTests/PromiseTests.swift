import Futures
import Testing

/// Every producer operation in every state: the allowed ones move the future, the others
/// throw `InvalidStateError` and change nothing.
@Suite struct PromiseTests {
    enum Operation: CaseIterable {
        case markRunning, succeed, fail, forceCancel, requeue, markLost

        /// The status this operation leads to from `status`, or nil if it must be refused.
        func target(from status: FutureStatus) -> FutureStatus? {
            switch (self, status) {
            case (.markRunning, .pending), (.markRunning, .lost): .running
            case (.succeed, .pending), (.succeed, .running): .finished
            case (.fail, .pending), (.fail, .running): .error
            case (.forceCancel, .pending), (.forceCancel, .running), (.forceCancel, .lost),
                (.forceCancel, .cancelled):
                .cancelled
            case (.requeue, .running), (.requeue, .lost): .pending
            case (.markLost, .finished): .lost
            default: nil
            }
        }

        func apply(_ promise: Promise<Int>) throws {
            switch self {
            case .markRunning: _ = try promise.markRunning()
            case .succeed: try promise.succeed(7)
            case .fail: try promise.fail(WorkError(code: 9))
            case .forceCancel: _ = promise.forceCancel()
            case .requeue: try promise.requeue()
            case .markLost: try promise.markLost()
            }
        }
    }

    @Test(arguments: Fixture.allCases, Operation.allCases)
    func operation(in fixture: Fixture, operation: Operation) throws {
        let (promise, future) = fixture.make()
        let before = future.description
        if let target = operation.target(from: fixture.status) {
            try operation.apply(promise)
            #expect(future.status == target)
        } else if operation == .forceCancel || (operation == .markRunning && fixture == .cancelled)
        {
            // These answer with a Bool instead of throwing; they must leave the future alone.
            try operation.apply(promise)
            #expect(future.status == fixture.status)
            #expect(future.description == before)
        } else {
            let error = #expect(throws: InvalidStateError.self) { try operation.apply(promise) }
            #expect(error?.from == fixture.status)
            #expect(future.status == fixture.status)
            #expect(future.description == before)
        }
    }

    @Test func markRunningOnCancelledSaysDoNotRun() throws {
        let (promise, _) = Fixture.cancelled.make()
        #expect(try promise.markRunning() == false)
        #expect(try Fixture.pending.make().0.markRunning() == true)
    }

    @Test func forceCancelAnswers() {
        #expect(Fixture.running.make().0.forceCancel() == true)
        #expect(Fixture.cancelled.make().0.forceCancel() == true)
        #expect(Fixture.finished.make().0.forceCancel() == false)
        #expect(Fixture.failed.make().0.forceCancel() == false)
    }

    /// test_multiple_set_result
    @Test func settingAResultTwiceKeepsTheFirst() throws {
        let (promise, future) = Fixture.pending.make()
        try promise.succeed(1)
        let error = #expect(throws: InvalidStateError.self) { try promise.succeed(2) }
        #expect(
            error?.description
                == "invalid state: finished → finished: Future<Int>(finished, returned Int)")
        #expect(future.isDone)
        #expect(try future.result() == 1)
    }

    /// test_multiple_set_exception
    @Test func settingAnErrorTwiceKeepsTheFirst() throws {
        let (promise, future) = Fixture.pending.make()
        try promise.fail(WorkError(code: 1))
        let error = #expect(throws: InvalidStateError.self) { try promise.fail(WorkError(code: 2)) }
        #expect(error?.future == "Future<Int>(error, raised WorkError)")
        #expect(try future.exception() as? WorkError == WorkError(code: 1))
    }

    /// A lost future is recomputed: lost → pending → running → finished, with the new value.
    @Test func lostIsRecomputed() throws {
        let (promise, future) = Fixture.lost.make()
        try promise.requeue()
        #expect(try promise.markRunning())
        try promise.succeed(43)
        #expect(try future.result() == 43)
    }
}
