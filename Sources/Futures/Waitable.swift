/// A future that ``wait(_:timeout:returnWhen:)-(_,_,_)`` and
/// ``asCompleted(_:timeout:)-(_,_)`` can watch, whatever its value type.
///
/// `Future<Int>` and `Future<String>` both conform, so one call can wait on both: pass them as
/// `[any Waitable]`.
public protocol Waitable: AnyObject, Sendable {
    /// The current status.
    var status: FutureStatus { get }

    /// The strategy blocking calls on this future go through.
    var waitStrategy: any WaitStrategy { get }

    /// Starts telling `observer` of every status change, until ``removeObserver(_:)``.
    func addObserver(_ observer: any FutureObserver)

    /// Stops telling `observer`; removing one that was never added does nothing.
    func removeObserver(_ observer: any FutureObserver)
}

/// Told of every status change of the futures it observes, after the change is made and
/// outside the future's lock, on the thread that made the change.
public protocol FutureObserver: AnyObject, Sendable {
    func futureDidChange(_ future: any Waitable)
}

/// Watches futures for one blocking call: collects the ones that changed, in the order they
/// changed, and wakes the caller through its strategy's signal.
final class Waiter: FutureObserver {
    let signal: any WaitSignal
    private let changed = Locked<[any Waitable]>([])

    init(strategy: any WaitStrategy) {
        signal = strategy.makeSignal()
    }

    func futureDidChange(_ future: any Waitable) {
        changed.withLock { $0.append(future) }
        signal.notify()
    }

    /// The futures that changed since the last call, oldest change first.
    func takeChanged() -> [any Waitable] {
        changed.withLock { list in
            defer { list.removeAll() }
            return list
        }
    }
}
