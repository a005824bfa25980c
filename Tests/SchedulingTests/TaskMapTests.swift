import Scheduling
import Testing

/// Values by task id, against a dictionary doing the same.
@Suite struct TaskMapTests {
    @Test func storesReplacesAndRemoves() {
        var map = TaskMap<String>()
        #expect(map[TaskID(3)] == nil && map.isEmpty)
        map[TaskID(3)] = "c"
        map[TaskID(5)] = "e"
        map[TaskID(3)] = "C"
        #expect(map[TaskID(3)] == "C")
        #expect(map.count == 2)
        map[TaskID(3)] = nil
        map[TaskID(4)] = nil
        #expect(map[TaskID(3)] == nil)
        #expect(map[TaskID(5)] == "e")
        #expect(map.keys == [TaskID(5)])
        #expect(Array(map.map(\.1)) == ["e"])
        map.removeAll()
        #expect(map.isEmpty && map[TaskID(5)] == nil)
    }

    /// Random stores and removals over a few hundred ids, growing past several index sizes
    /// and shrinking again: after every step, each id reads what the dictionary holds, and
    /// iteration visits each entry once.
    @Test(arguments: [1, 2, 3] as [UInt64]) func agreesWithADictionary(seed: UInt64) {
        var random = SeededGenerator(seed: seed)
        var map = TaskMap<Int>()
        var reference: [Int: Int] = [:]
        let ids = 600
        for step in 0..<20_000 {
            let id = Int(random.next() % UInt64(ids))
            // Mostly stores early, mostly removals late: the map fills, then empties.
            let removes = random.next() % 100 < (step < 10_000 ? 30 : 70)
            if removes {
                map[TaskID(id)] = nil
                reference[id] = nil
            } else {
                map[TaskID(id)] = step
                reference[id] = step
            }
            if step % 97 == 0 || step > 19_900 {
                for probe in 0..<ids {
                    #expect(map[TaskID(probe)] == reference[probe])
                }
                var seen: [Int: Int] = [:]
                for (task, value) in map { seen[task.int] = value }
                #expect(seen == reference)
            }
            #expect(map.count == reference.count)
        }
    }
}
