/// Yields `futures` as they become done: those already done first, in the order given, then
/// the others in the order they complete. A future given twice is yielded once.
///
/// Semantics are those of `concurrent.futures.as_completed`, except that a cancelled future
/// counts as done at once. The deadline is fixed when this is called, not per item.
///
/// ```swift
/// var completed = asCompleted(futures, timeout: .seconds(5))
/// while let future = try completed.next() { … }
/// ```
public func asCompleted<F: Waitable>(
    _ futures: some Sequence<F>, timeout: Duration? = nil
) -> AsCompleted<F> {
    AsCompleted(WatchedFutures(futures, erase: { $0 }), timeout: timeout)
}

/// Yields futures of different value types as they complete; see the generic form.
public func asCompleted(
    _ futures: some Sequence<any Waitable>, timeout: Duration? = nil
) -> AsCompleted<any Waitable> {
    AsCompleted(WatchedFutures(futures, erase: { $0 }), timeout: timeout)
}

/// The iterator ``asCompleted(_:timeout:)-(_,_)`` returns.
///
/// It keeps no reference to a future it has yielded, and stops watching every future when it
/// is exhausted, times out or is dropped.
public final class AsCompleted<Element> {
    private var items: [Element?]
    private var erased: [(any Waitable)?]
    /// Where the watched futures stand (those not done when the call was made).
    private var positions = FuturePositions()
    /// Which futures are watched: only those not done at the start.
    private var watched: [Bool]
    /// Made for the first future that is not done at the start.
    private var waiter: Waiter?
    private let deadline: Duration?
    /// Indices of done futures not yielded yet, in the order to yield them.
    private var ready: [Int] = []
    private var readyHead = 0
    private var queued: [Bool]
    private var unyielded: Int

    init(_ futures: WatchedFutures<Element>, timeout: Duration?) {
        items = futures.items
        erased = futures.erased
        queued = Array(repeating: false, count: futures.items.count)
        watched = queued
        unyielded = futures.items.count
        let strategy = futures.erased.first??.waitStrategy
        deadline = timeout.flatMap { timeout in strategy.map { $0.now + timeout } }
        // A future done already is queued, never watched; one that is not is watched, then
        // looked at again (a change before its observer was added was not announced).
        for (index, future) in futures.erased.lazy.map({ $0! }).enumerated() {
            if !future.status.isDone, let strategy {
                let waiter = waiter ?? Waiter(strategy: strategy)
                self.waiter = waiter
                future.addObserver(waiter)
                watched[index] = true
                positions.add(future, at: index)
            }
            if future.status.isDone { enqueue(index) }
        }
    }

    deinit { stopWatching() }

    /// The next done future, or `nil` once every future was yielded.
    ///
    /// - Throws: ``TimeoutError`` (with the counts of unfinished and total futures) when the
    ///   deadline passes first; the iterator is exhausted afterwards.
    public func next() throws(TimeoutError) -> Element? {
        if readyHead == ready.count, unyielded > 0, let waiter {
            let anyReady = waiter.signal.wait(until: deadline) {
                for future in waiter.takeChanged() where future.status.isDone {
                    if let index = positions.position(of: future) { enqueue(index) }
                }
                return readyHead < ready.count
            }
            if !anyReady {
                let error = TimeoutError(unfinished: unyielded, total: items.count)
                stopWatching()
                throw error
            }
        }
        guard readyHead < ready.count else { return nil }
        let index = ready[readyHead]
        readyHead += 1
        unyielded -= 1
        let future = items[index]
        if let waiter, watched[index] { erased[index]?.removeObserver(waiter) }
        items[index] = nil
        erased[index] = nil
        return future
    }

    private func enqueue(_ index: Int) {
        guard !queued[index] else { return }
        queued[index] = true
        ready.append(index)
    }

    private func stopWatching() {
        if let waiter {
            for index in erased.indices where watched[index] {
                erased[index]?.removeObserver(waiter)
            }
        }
        erased.removeAll()
        items.removeAll()
        ready = []
        readyHead = 0
        unyielded = 0
    }
}
