/// How a blocking call waits: on real threads, or by advancing a simulation's virtual time.
///
/// Every blocking call of this module (`result(timeout:)`, `exception(timeout:)`,
/// ``wait(_:timeout:returnWhen:)-(_,_,_)`` and ``asCompleted(_:timeout:)-(_,_)``) goes through
/// the strategy of the futures it waits on. The default, ``ThreadWaitStrategy``, parks the
/// calling thread on a condition variable. A simulator supplies its own strategy whose
/// ``WaitSignal/wait(until:for:)`` runs simulated events until the condition holds or the
/// virtual deadline passes, so the same client code runs in both modes and time never
/// depends on the wall clock.
public protocol WaitStrategy: AnyObject, Sendable {
    /// The current instant on this strategy's clock, as time elapsed since a fixed origin.
    ///
    /// Timeouts become deadlines on this clock when a blocking call starts.
    var now: Duration { get }

    /// A fresh signal for one blocking call.
    func makeSignal() -> any WaitSignal

    /// Whether waiting is what makes things happen (a simulation advances only while
    /// someone waits). `await future.value` then waits through the strategy too, instead of
    /// suspending until someone else completes the future.
    var drivesProgress: Bool { get }
}

extension WaitStrategy {
    public var drivesProgress: Bool { false }
}

/// One blocking call's means of sleeping until something it watches changes.
public protocol WaitSignal: AnyObject, Sendable {
    /// Tells the blocked call that something it watches changed. Callable from any thread,
    /// also before the call blocks (the notice is then kept, not lost).
    func notify()

    /// Returns `true` as soon as `condition` holds, or `false` when the strategy's clock has
    /// reached `deadline` and `condition` still does not hold (`nil` waits without limit).
    ///
    /// `condition` is evaluated on the calling thread, once at the start and again after
    /// each notice; it is never evaluated concurrently with itself.
    func wait(until deadline: Duration?, for condition: () -> Bool) -> Bool
}
