import Cluster
import Testing

/// The drivers' event queue: whatever the order entries go in, the least comes out first.
@Suite struct EventQueueTests {
    /// A deterministic stream of numbers for the tests' orders.
    struct Numbers {
        var state: UInt64
        mutating func next(below bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    @Test func entriesComeOutInOrder() {
        var numbers = Numbers(state: 7)
        var queue = EventQueue<Int>()
        var inserted: [Int] = []
        for _ in 0..<1000 {
            let value = numbers.next(below: 500)
            inserted.append(value)
            queue.insert(value)
        }
        #expect(queue.count == 1000)
        #expect(queue.min == inserted.min())
        var taken: [Int] = []
        while !queue.isEmpty { taken.append(queue.removeMin()) }
        #expect(taken == inserted.sorted())
        #expect(queue.min == nil)
    }

    @Test func takingAndInsertingInTurnKeepsTheOrder() {
        // A simulation's pattern: each entry taken schedules later ones.
        var numbers = Numbers(state: 11)
        var queue = EventQueue<Int>()
        var reference: [Int] = []
        for step in 0..<5000 {
            if reference.isEmpty || numbers.next(below: 3) > 0 {
                let value = step + numbers.next(below: 200)
                queue.insert(value)
                reference.append(value)
                reference.sort()
            } else {
                #expect(queue.removeMin() == reference.removeFirst())
            }
            #expect(queue.min == reference.first)
            #expect(queue.count == reference.count)
        }
        #expect(queue.unordered.sorted() == reference)
    }

    @Test func oneEntryComesBackAlone() {
        var queue = EventQueue<String>()
        queue.insert("only")
        #expect(queue.removeMin() == "only")
        #expect(queue.isEmpty)
    }
}
