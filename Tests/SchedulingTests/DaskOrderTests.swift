import Foundation
import Scheduling
import Testing

/// `DaskOrder` against the orders dask 2026.8's `dask.order.order` gave the same graphs
/// (written by `integrations/dask/tools/order_cases.py`: small textbook graphs, the recorder's
/// eight graphs, random DAGs). dask walks sets of keys in places, so for many graphs its
/// order changes with Python's hash seed; the fixture holds each distinct order it gave under
/// ten seeds.
@Suite struct DaskOrderTests {
    struct Case: Decodable, CustomTestStringConvertible {
        var name: String
        var keys: [String]
        var dependencies: [[Int]]
        var orders: [[Int]]
        var testDescription: String { name }
    }

    static let cases: [Case] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/dask-order.json")
        return (try? JSONDecoder().decode([Case].self, from: Data(contentsOf: url))) ?? []
    }()

    /// Pairs of tasks two orders put the other way round (Kendall's distance).
    static func distance(_ a: [Int], _ b: [Int]) -> Int {
        var count = 0
        for i in a.indices {
            for j in a.indices where j > i && (a[i] < a[j]) != (b[i] < b[j]) { count += 1 }
        }
        return count
    }

    @Test func theFixtureIsThere() {
        #expect(Self.cases.count == 18)
        #expect(Self.cases.filter { $0.orders.count == 1 }.count == 7)
    }

    /// Where dask's order does not depend on the hash seed, this is the same order; where it
    /// does, this order is no further from the nearest of dask's than dask's are from each
    /// other.
    @Test(arguments: cases)
    func asDaskOrdersIt(_ graph: Case) {
        let order = DaskOrder.order(
            dependencies: graph.dependencies, keys: graph.keys.map { TaskKey($0) })
        #expect(Set(order) == Set(0..<graph.keys.count), "a permutation")
        let nearest = graph.orders.map { Self.distance(order, $0) }.min()!
        if graph.orders.count == 1 {
            #expect(nearest == 0, "\(nearest) pairs the other way round")
            return
        }
        var spread = 0
        for (index, first) in graph.orders.enumerated() {
            for second in graph.orders[(index + 1)...] {
                spread = max(spread, Self.distance(first, second))
            }
        }
        #expect(
            nearest <= spread, "\(nearest) pairs from dask's nearest, dask's own spread \(spread)")
    }

    /// Whatever the order, each task comes after its inputs.
    @Test(arguments: cases)
    func inputsComeFirst(_ graph: Case) {
        let order = DaskOrder.order(
            dependencies: graph.dependencies, keys: graph.keys.map { TaskKey($0) })
        for (task, inputs) in graph.dependencies.enumerated() {
            for input in inputs { #expect(order[input] < order[task]) }
        }
    }

    /// With `staticOrder` `.dask` the scheduler arranges each graph update's tasks in
    /// ``DaskOrder``'s order, keeping the submission numbers they had; with `.submission` they
    /// keep the order they came in.
    @Test func theSchedulerOrdersAGraphAsDask() {
        let keys = ["x0", "x1", "x2", "y", "z"]
        func order(_ staticOrder: StaticOrder) -> [String] {
            let h = Harness(configure: { $0.staticOrder = staticOrder })
            h.addWorker("a")
            h.submit(keys.map { KeyedSpec(key: $0, dependencies: $0 == "z" ? ["y"] : []) })
            return keys.sorted {
                h.scheduler.priority(of: h.id($0)) < h.scheduler.priority(of: h.id($1))
            }
        }
        #expect(order(.submission) == keys)
        let positions = DaskOrder.order(
            dependencies: [[], [], [], [], [3]], keys: keys.map { TaskKey($0) })
        #expect(positions != [0, 1, 2, 3, 4], "an order the test can tell from submission's")
        #expect(
            order(.dask) == keys.indices.sorted { positions[$0] < positions[$1] }.map { keys[$0] })
    }
}
