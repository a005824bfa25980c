import Futures
import Scheduling

/// Placing data on workers (dask's `scatter`).
extension Client {
    /// Places `values` on the cluster's workers and returns their futures, once each value is
    /// in a worker's memory (this waits, on the cluster's clock, for the round trip).
    ///
    /// A value's key is `<type name>-<stable hash of it>`, so a value scattered again is the
    /// same key and is not sent twice. Values go round-robin to the running workers named in
    /// `workers` (empty: all), each taking `size` bytes of memory and of network time. A
    /// future errs with `NoValidWorkerError` when no such worker runs; it is lost, then
    /// cancelled, if its data dies with its worker, since a scattered value cannot be computed
    /// again. Past `timeout` the call returns the futures as they are.
    public func scatter<V: StableHashable & Sendable>(
        _ values: [V], size: Int64 = 8, workers: [String] = [], timeout: Duration? = nil
    ) -> [ClientFuture<V>] {
        let futures = place(
            values, keys: values.map(Self.scatterKey), size: size, workers: workers)
        _ = wait(futures, timeout: timeout)
        return futures
    }

    /// Places `values` under the given keys (one per value); see
    /// ``scatter(_:size:workers:timeout:)-(_,_,_,_)``.
    public func scatter<V: Sendable>(
        _ values: [V], keys: [String], size: Int64 = 8, workers: [String] = [],
        timeout: Duration? = nil
    ) -> [ClientFuture<V>] {
        let futures = place(
            values, keys: keys.map { TaskKey($0) }, size: size, workers: workers)
        _ = wait(futures, timeout: timeout)
        return futures
    }

    /// Places `values` on the cluster's workers and returns their futures once each value is
    /// in a worker's memory; see ``scatter(_:size:workers:timeout:)-(_,_,_,_)``.
    public func scatter<V: StableHashable & Sendable>(
        _ values: [V], size: Int64 = 8, workers: [String] = []
    ) async -> [ClientFuture<V>] {
        let futures = place(
            values, keys: values.map(Self.scatterKey), size: size, workers: workers)
        for future in futures { _ = try? await future.value }
        return futures
    }

    private static func scatterKey<V: StableHashable>(of value: V) -> TaskKey {
        var hasher = StableHasher()
        value.stableHash(into: &hasher)
        return hasher.key(named: "\(V.self)")
    }

    /// Sends the values that are new to this client to the scheduler, with a body per value
    /// that returns it, and returns a future per value.
    private func place<V: Sendable>(
        _ values: [V], keys: [TaskKey], size: Int64, workers: [String]
    ) -> [ClientFuture<V>] {
        precondition(values.count == keys.count, "scatter needs one key per value")
        let ids = backend.taskKeys.intern(keys).ids
        let shared: [(Future<V>, isNew: Bool)] = sharedFutures(for: ids)
        var data: [ScatterItem] = []
        var bodies = BodyBatch()
        var futures: [ClientFuture<V>] = []
        for (index, key) in keys.enumerated() {
            let (future, isNew) = shared[index]
            futures.append(ClientFuture(task: ids[index], future: future, client: self))
            guard isNew else { continue }
            data.append(ScatterItem(id: ids[index], key: key.string, size: size))
            let value = values[index]
            bodies.append(
                TaskBody(model: WorkModel(outputSize: size)) { _ in value })
        }
        if !data.isEmpty {
            backend.send(
                .scatter(client: id, data: data, workers: workers), bodies: bodies, from: id)
        }
        return futures
    }
}
