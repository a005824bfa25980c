/// When ``wait(_:timeout:returnWhen:)-(_,_,_)`` returns.
public enum ReturnWhen: Sendable, Hashable {
    /// As soon as any future is done.
    case firstCompleted
    /// As soon as any future has an error; when none does, once all are done. A cancelled
    /// future is not an error.
    case firstException
    /// Once every future is done.
    case allCompleted
}

/// The futures a wait saw done and not done, each in the order first given.
public struct WaitResult<Element> {
    public var done: [Element]
    public var notDone: [Element]

    @usableFromInline init(done: [Element], notDone: [Element]) {
        self.done = done
        self.notDone = notDone
    }
}

/// Waits until `futures` satisfy `returnWhen` or the timeout passes, and says which are done.
///
/// Semantics are those of `concurrent.futures.wait`, except that a cancelled future counts as
/// done at once: a future given twice counts once, futures already done count immediately, and
/// a timeout is not an error: the result then lists what was not done in time.
///
/// - Parameter timeout: on the clock of the first future's ``WaitStrategy``; `nil` waits
///   without limit.
@inlinable
public func wait<F: Waitable>(
    _ futures: some Sequence<F>, timeout: Duration? = nil,
    returnWhen: ReturnWhen = .allCompleted
) -> WaitResult<F> {
    // First a look, specialized for the caller's future type: when the futures already
    // satisfy `returnWhen`, nothing is watched and no future is seen through `any Waitable`.
    var seen = IdentitySet(capacity: futures.underestimatedCount)
    var distinct: [F] = []
    distinct.reserveCapacity(futures.underestimatedCount)
    // What the look saw, as a bit per future (done), so the common answer, every future
    // done, is the list itself, with no second list made.
    var doneFlags: [Bool] = []
    doneFlags.reserveCapacity(futures.underestimatedCount)
    var doneCount = 0
    var errors = 0
    for future in futures where seen.insert(future) {
        distinct.append(future)
        let status = future.status
        doneFlags.append(status.isDone)
        if status.isDone {
            doneCount += 1
            if status == .error { errors += 1 }
        }
    }
    let allDone = doneCount == distinct.count
    let satisfied =
        switch returnWhen {
        case .firstCompleted: doneCount > 0 || allDone
        case .firstException: errors > 0 || allDone
        case .allCompleted: allDone
        }
    if satisfied {
        if allDone { return WaitResult(done: distinct, notDone: []) }
        var result = WaitResult<F>(done: [], notDone: [])
        for (future, isDone) in zip(distinct, doneFlags) {
            if isDone { result.done.append(future) } else { result.notDone.append(future) }
        }
        return result
    }
    return waitForAny(
        WatchedFutures(distinct, erase: { $0 }), timeout: timeout, returnWhen: returnWhen)
}

/// Waits on futures of different value types; see the generic form.
public func wait(
    _ futures: some Sequence<any Waitable>, timeout: Duration? = nil,
    returnWhen: ReturnWhen = .allCompleted
) -> WaitResult<any Waitable> {
    waitForAny(WatchedFutures(futures, erase: { $0 }), timeout: timeout, returnWhen: returnWhen)
}

@usableFromInline
func waitForAny<F>(
    _ watched: WatchedFutures<F>, timeout: Duration?, returnWhen: ReturnWhen
) -> WaitResult<F> {
    guard let strategy = watched.erased.first??.waitStrategy else {
        return WaitResult(done: [], notDone: [])
    }
    let deadline = timeout.map { strategy.now + $0 }
    var tally = WaitTally(watched.erased.map { $0!.status })
    if !tally.satisfies(returnWhen) {
        let positions = watched.positions
        let waiter = Waiter(strategy: strategy)
        watched.erased.forEach { $0!.addObserver(waiter) }
        defer { watched.erased.forEach { $0!.removeObserver(waiter) } }
        // Changes made before the observers were added were not announced: look once more.
        tally = WaitTally(watched.erased.map { $0!.status })
        _ = waiter.signal.wait(until: deadline) {
            for future in waiter.takeChanged() {
                if let index = positions.position(of: future) {
                    tally.update(index, future.status)
                }
            }
            return tally.satisfies(returnWhen)
        }
    }
    var result = WaitResult<F>(done: [], notDone: [])
    for (future, erased) in zip(watched.items, watched.erased) {
        if erased!.status.isDone {
            result.done.append(future!)
        } else {
            result.notDone.append(future!)
        }
    }
    return result
}

/// How many watched futures are done, and how many erred, kept up to date change by change.
private struct WaitTally {
    private var statuses: [FutureStatus]
    private var doneCount = 0
    private var errorCount = 0

    init(_ statuses: [FutureStatus]) {
        self.statuses = statuses
        for status in statuses { count(status, by: 1) }
    }

    mutating func update(_ index: Int, _ status: FutureStatus) {
        count(statuses[index], by: -1)
        statuses[index] = status
        count(status, by: 1)
    }

    private mutating func count(_ status: FutureStatus, by step: Int) {
        if status.isDone { doneCount += step }
        if status == .error { errorCount += step }
    }

    func satisfies(_ returnWhen: ReturnWhen) -> Bool {
        switch returnWhen {
        case .firstCompleted: doneCount > 0
        case .firstException: errorCount > 0 || doneCount == statuses.count
        case .allCompleted: doneCount == statuses.count
        }
    }
}

/// The distinct futures of a call, in the order first given, each also as `any Waitable`;
/// every entry is set (optional so that ``AsCompleted`` can take the lists over and let go of
/// each future it yields, without copying them).
@usableFromInline
struct WatchedFutures<F> {
    private(set) var items: [F?] = []
    private(set) var erased: [(any Waitable)?] = []

    @usableFromInline
    init(_ futures: some Sequence<F>, erase: (F) -> any Waitable) {
        var seen = IdentitySet(capacity: futures.underestimatedCount)
        items.reserveCapacity(futures.underestimatedCount)
        erased.reserveCapacity(futures.underestimatedCount)
        for future in futures {
            let waitable = erase(future)
            guard seen.insert(waitable) else { continue }
            items.append(future)
            erased.append(waitable)
        }
    }

    /// Where each future stands among ``erased``.
    var positions: FuturePositions {
        var positions = FuturePositions()
        for (index, future) in erased.enumerated() { positions.add(future!, at: index) }
        return positions
    }
}

/// Where futures stand in a call's list, by identity; holds no reference to a future.
struct FuturePositions {
    // Looked up only, never iterated: its order cannot reach a result.
    private var positions: [ObjectIdentifier: Int] = [:]

    /// Records `future` at `position`.
    mutating func add(_ future: any Waitable, at position: Int) {
        positions[ObjectIdentifier(future)] = position
    }

    func position(of future: any Waitable) -> Int? { positions[ObjectIdentifier(future)] }
}
