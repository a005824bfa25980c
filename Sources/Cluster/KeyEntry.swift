import Futures
import Scheduling

/// A key's state on a client, shared by every ``ClientFuture`` of the key: its future, and
/// the client's bookkeeping for it. The client's table holds one per task id, in place (a
/// program may hold a million keys, and an object each was memory and an allocation per key).
///
/// Only touched with the client's lock held; the future itself is thread-safe.
struct KeyEntry {
    /// The future every ``ClientFuture`` of the key returns.
    var future: any KeyFuture
    /// The client's request counter when the entry was made: cancellation notices caused by
    /// earlier requests are not about it.
    var createdAt: UInt64
    /// Live ``ClientFuture``s.
    var references: Int
}

/// A key's future seen without its result type: what the client does to it on the
/// scheduler's news and on a cancellation.
protocol KeyFuture: AnyObject, Sendable {
    /// Moves the future on the scheduler's news (`value`: a finished task's result).
    func apply(_ news: ClientReport, value: (any Sendable)?, backend: any ClusterBackend)
    /// Cancels the future here (plain: only if it has not started); whether it is cancelled.
    func cancelHere(force: Bool) -> Bool
    /// Whether the future is done.
    var isDone: Bool { get }
}

extension Future: KeyFuture {
    // Called through the protocol, it would run unspecialized, looking up the future's
    // generic metadata at run time on every report (a twentieth of a seed sweep);
    // specialized for the result types scenario runs (Int64) and most programs use. The
    // choice is made before the body: a generic body's entry looks up the metadata of the
    // storage it needs (an optional result) before it reaches the choice.
    @_specialize(where Value == Int64)
    @_specialize(where Value == Int)
    @_specialize(where Value == Double)
    @_specialize(where Value == String)
    func apply(_ news: ClientReport, value: (any Sendable)?, backend: any ClusterBackend) {
        settle(news, value: value, backend: backend)
    }

    @inline(never)
    private func settle(_ news: ClientReport, value: (any Sendable)?, backend: any ClusterBackend) {
        let promise = Promise(completing: self)
        switch news {
        case .running:
            _ = try? promise.markRunning()
        case .finished:
            // A value that is gone already is followed by a lost report.
            guard let value, let value = unbox(value, as: Value.self) else { return }
            if status == .lost { try? promise.requeue() }
            try? promise.succeed(value)
        case .erred(let failure):
            // A lost result whose recomputation raised: lost → pending → error, as the
            // future's table allows (lost has no direct way to error).
            if status == .lost { try? promise.requeue() }
            try? promise.fail(backend.error(of: failure) ?? failure)
        case .cancelled:
            promise.forceCancel()
        case .lost:
            try? promise.markLost()
        case .pending:
            if status == .running { try? promise.requeue() }
        }
    }

    func cancelHere(force: Bool) -> Bool {
        force ? Promise(completing: self).forceCancel() : cancel()
    }
}
