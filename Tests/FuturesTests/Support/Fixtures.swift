import Dispatch
import Futures

/// An error a test's work raises; equal when the codes are.
struct WorkError: Error, Equatable {
    var code: Int
}

/// The fixtures of CPython's test suite, one future per state, each made through a promise.
enum Fixture: CaseIterable, CustomStringConvertible {
    case pending, running, finished, failed, cancelled, lost

    /// A new future in this fixture's state: finished holds 42, failed holds `WorkError(1)`.
    func make(strategy: any WaitStrategy = ThreadWaitStrategy.shared) -> (Promise<Int>, Future<Int>)
    {
        let promise = Promise<Int>(waitStrategy: strategy)
        switch self {
        case .pending: break
        case .running: _ = try! promise.markRunning()
        case .finished: try! promise.succeed(42)
        case .failed: try! promise.fail(WorkError(code: 1))
        case .cancelled: promise.future.cancel()
        case .lost:
            try! promise.succeed(42)
            try! promise.markLost()
        }
        return (promise, promise.future)
    }

    var status: FutureStatus {
        switch self {
        case .pending: .pending
        case .running: .running
        case .finished: .finished
        case .failed: .error
        case .cancelled: .cancelled
        case .lost: .lost
        }
    }

    var description: String { "\(status)" }
}

/// Runs `body` on another thread after `delay` of real time.
func onAnotherThread(
    after delay: Duration = .milliseconds(20), _ body: @escaping @Sendable () -> Void
) {
    let nanoseconds =
        UInt64(delay.components.seconds) * 1_000_000_000
        + UInt64(delay.components.attoseconds / 1_000_000_000)
    DispatchQueue.global().asyncAfter(
        deadline: .now() + .nanoseconds(Int(nanoseconds)), execute: body)
}
