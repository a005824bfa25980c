@_spi(Locking) import Futures

/// A wait strategy on a virtual clock, as a simulator would provide: a blocking call runs
/// scripted actions in time order (ties in the order scripted) until its condition holds or
/// the virtual deadline passes. No thread ever sleeps.
final class ScriptedWaitStrategy: WaitStrategy {
    private struct State {
        var now = Duration.zero
        var notices = 0
        var script: [(at: Duration, action: @Sendable () -> Void)] = []
    }

    private let state = Locked(State())

    var now: Duration { state.withLock { $0.now } }

    /// How many times a blocked call was told that something it watches changed.
    var notices: Int { state.withLock { $0.notices } }

    fileprivate func noteNotice() { state.withLock { $0.notices += 1 } }

    /// Runs `action` when virtual time reaches `at`.
    func schedule(at instant: Duration, _ action: @escaping @Sendable () -> Void) {
        state.withLock { state in
            let index = state.script.firstIndex { $0.at > instant } ?? state.script.count
            state.script.insert((instant, action), at: index)
        }
    }

    func makeSignal() -> any WaitSignal { ScriptedSignal(strategy: self) }

    /// The next action due no later than `deadline`, with the clock moved to its time; or,
    /// when there is none, the clock moved to `deadline` and `nil`.
    fileprivate func advance(toward deadline: Duration?) -> (@Sendable () -> Void)? {
        state.withLock { state in
            if let next = state.script.first, deadline.map({ next.at <= $0 }) ?? true {
                state.script.removeFirst()
                state.now = max(state.now, next.at)
                return next.action
            }
            if let deadline { state.now = max(state.now, deadline) }
            return nil
        }
    }
}

private final class ScriptedSignal: WaitSignal {
    let strategy: ScriptedWaitStrategy

    init(strategy: ScriptedWaitStrategy) { self.strategy = strategy }

    func notify() { strategy.noteNotice() }

    func wait(until deadline: Duration?, for isSatisfied: () -> Bool) -> Bool {
        while !isSatisfied() {
            guard let action = strategy.advance(toward: deadline) else { return isSatisfied() }
            action()
        }
        return true
    }
}
