import Scheduling
import Testing

@testable import Cluster

/// A worker's results by task id, against a dictionary doing the same.
@Suite struct ResultStoreTests {
    @Test func storesReplacesAndDrops() {
        var store = ResultStore()
        #expect(store[TaskID(3)] == nil)
        store[TaskID(3)] = StoredResult(value: 30)
        store[TaskID(5)] = StoredResult(value: 50)
        store[TaskID(3)] = StoredResult(value: 31)
        #expect(store[TaskID(3)]?.value as? Int == 31)
        #expect(store.count == 2)
        store[TaskID(3)] = nil
        store[TaskID(4)] = nil
        #expect(store[TaskID(3)] == nil)
        #expect(store[TaskID(5)]?.value as? Int == 50)
        store.removeAll()
        #expect(store.count == 0 && store[TaskID(5)] == nil)
    }

    /// Random stores and drops over a few hundred ids, growing past several index sizes and
    /// shrinking again: after every step, each id reads what the dictionary holds.
    @Test(arguments: [1, 2, 3] as [UInt64]) func agreesWithADictionary(seed: UInt64) {
        var random = SeededGenerator(seed: seed)
        var store = ResultStore()
        var reference: [Int: Int] = [:]
        let ids = 600
        for step in 0..<20_000 {
            let id = Int(random.next() % UInt64(ids))
            // Mostly stores early, mostly drops late: the store fills, then empties.
            let drops = random.next() % 100 < (step < 10_000 ? 30 : 70)
            if drops {
                store[TaskID(id)] = nil
                reference[id] = nil
            } else {
                store[TaskID(id)] = StoredResult(value: step)
                reference[id] = step
            }
            if step % 97 == 0 || step > 19_900 {
                for probe in 0..<ids {
                    #expect(store[TaskID(probe)]?.value as? Int == reference[probe])
                }
            }
            #expect(store.count == reference.count)
        }
    }
}
